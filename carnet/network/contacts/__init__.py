"""Address books: read vCard/CSV/LinkedIn files (parsing), find and invite members among the
contacts (importing), export one's connections (exporting)."""
