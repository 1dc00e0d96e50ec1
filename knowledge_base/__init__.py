"""The "1+N" knowledge base: departments, accounts, entries, versions, review, import/export."""
