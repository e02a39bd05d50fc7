"""`factcheck serve`: the editors' web app over the store (see app.py)."""
