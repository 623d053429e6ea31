import os
import sys

# the portability tests and the report share cases.py
sys.path.insert(0, os.path.dirname(__file__))
