"""Writers: frames in, one workbook kind per module (xlsxwriter), written atomically."""
