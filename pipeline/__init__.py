"""effectifs — headcount campaigns of the French assistance branch.

The data's path, one module per stage:

    nomenclature  -> the 9 families and 39 métiers (package data, pandera-checked)
    campaign      -> who is asked, for which reference date (TOML file)
    templates     -> one .xlsx to fill per company (xlsxwriter)
    ingest        -> read the returned workbooks, validate, explain (openpyxl + pandera)
    consolidate   -> the branch table and its workbook (pandas + xlsxwriter)
    demo          -> the 2007 campaign end to end with sample returns

`schemas` holds the pandera contracts between the stages; `cli` is a thin click layer.
"""

__version__ = "0.1.0"
