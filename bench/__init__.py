"""``make bench``: the platform's performance report (see bench/run.py)."""
