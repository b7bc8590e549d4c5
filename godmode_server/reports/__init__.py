"""What the earnings reports mean, as pure functions of samples: the definitions
(``earnings.py``), per-minute summaries that add up to them (``rollups.py``), and a long history in
N points (``downsample.py``), tokens priced in money (``money.py``).  The SQL that keeps and sums them is sql/rollups.py; the routes are
routes/reports.py."""
