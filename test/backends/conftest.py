import os
import sys

# the backends' tests share references.py
sys.path.insert(0, os.path.dirname(__file__))
