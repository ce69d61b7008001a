"""The annual-report appendix (tzcheck report): facts counted in each workbook (facts), the tables (tables,
table3). It is written through tongzhou_check.grids."""
