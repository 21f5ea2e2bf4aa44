"""effectifs — headcount campaigns of the French assistance branch.

The data's path, one module per stage:

    nomenclature  -> the 9 families and 39 métiers (package data, pandera-checked)
    campaign      -> who is asked, for which reference date (TOML file)
    templates     -> one .xlsx to fill per company (xlsxwriter), with the N−1 reminder
    suggest       -> help a company place its own job titles in the métiers (rapidfuzz)
    ingest        -> read the returned workbooks, validate, explain (openpyxl/calamine + pandera)
    feedback      -> a workbook to send back to each company whose return has problems
    history       -> every submission and accepted figure, in SQLite
    consolidate   -> the branch table and its workbooks (pandas + xlsxwriter)
    evolution     -> comparison with the previous campaign; year-over-year checks
    secret        -> statistical confidentiality of the published edition (scipy LP audit)
    status        -> where the campaign stands, and whom to chase
    run           -> the stages put together, as the commands run them
    demo          -> the 2007 campaign end to end

`schemas` holds the pandera contracts between the stages; `fastread` and `parallel` make large
campaigns fast; `xlsx` holds what every written workbook shares; `cli` is a thin click layer.
"""

__version__ = "0.1.0"
