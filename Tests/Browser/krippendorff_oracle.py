"""Krippendorff's alpha (nominal) of each reliability matrix in a JSON file, by the krippendorff PyPI package.

Input: a JSON list of matrices, each a list of coders, each a list of units (null: not coded).
Output: a JSON list of alphas (null where the package gives NaN or refuses).
"""
import json
import math
import sys

import krippendorff
import numpy as np

results = []
for matrix in json.load(open(sys.argv[1])):
    data = np.array([[np.nan if v is None else float(v) for v in coder] for coder in matrix])
    try:
        alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        alpha = float("nan")
    results.append(None if math.isnan(alpha) else alpha)
json.dump(results, sys.stdout)
