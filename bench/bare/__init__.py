"""A bench-only app (RENDA_EXTRA_APPS=bench.bare): the bare Django view doing one INSERT,
the baseline that `python -m bench.load` measures the plenary peak against. Never
installed outside the benchmark."""
