"""effectifs — headcount campaigns of the French assistance branch.

The package is layered; each layer imports only from the layers below it (a test checks it):

    cli            the ``effectifs`` command (click), a few lines per command
    demo           the 2007 campaign end to end
    api            the library: :class:`pipeline.api.Project` runs a campaign's steps
    write, store   one workbook kind per module (xlsxwriter); the history (SQLite)
    check          facts of returned files -> messages (catalogue codes) and checked frames
    compute        branch table, evolution, confidentiality, campaign state, job-title matching
    read           files -> facts (one reader of a returned workbook; folders; HR exports)
    core           vocabularies, template format and layout, campaign and nomenclature, the pandera
                   contracts between stages (long form), the French text catalogue

The data's path: templates (write) -> returned workbooks (read) -> checks (check) -> history (store)
-> branch table, evolution, published edition (compute) -> workbooks (write).
"""

__version__ = "0.2.0"
