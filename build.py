#!/usr/bin/env python3
"""Panchina: build the coach-rumour archive.  See README.md, or run with --help."""

import sys

from panchina.cli import main

if __name__ == "__main__":
    sys.exit(main())
