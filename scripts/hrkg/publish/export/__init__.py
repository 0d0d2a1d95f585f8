"""`hrkg export`: flat CSV tables for spreadsheets, pandas and R, described by CSVW metadata."""
