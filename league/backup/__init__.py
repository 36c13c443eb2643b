"""`league backup` and `league restore`: a consistent copy of the database and clips."""
