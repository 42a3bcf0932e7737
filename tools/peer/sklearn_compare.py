#!/usr/bin/env python3
"""Side-by-side: data-lab `analyze` and scikit-learn on the same data and the same outer folds.

    python3 tools/peer/sklearn_compare.py data.csv --target y [--task classification|regression] [--folds 5] [--seed 0]
        [--datalab results/data/metrics.json]

The outer folds are data-lab's own (drawn by its seeded generator through a short ts-node call), so both sides
score the same held-out rows. scikit-learn runs the same nested procedure: standard scaling fitted on the training
rows, each model's grid chosen by GridSearchCV with 2 inner folds, the same grids as data-lab's registry:
  linear: ridge alpha = lambda * n for lambda in 1e-4, 1e-2, 1 / LogisticRegression C = 1 / (n lambda) for lambda
          in 1e-3, 1e-2, 1e-1;
  forest: 60 trees, max_features 0.15 or 0.5 (classification, leaves of 1 row) / 0.33 or 1.0 (regression, leaves
          of 5 rows);
  mlp:    tanh (32, 32), Adam, batch 64, lr 0.01, up to 100 epochs, early stopping on 15% with patience 20,
          L2 alpha 1e-4.
Times are CPU seconds of this process (time.process_time) for the whole nested CV of one model. With --datalab,
data-lab's scores and per-model CPU seconds (modelCpuSeconds; wall seconds from an older metrics.json) are read from
that metrics.json and printed beside them.
Needs scikit-learn (Debian: apt-get install python3-sklearn, then run it with /usr/bin/python3 if another python3 comes first on PATH).
"""
import argparse
import csv
import json
import os
import subprocess
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

FOLDS_TS = """
import { Rng } from '@aml/core';
import { kFold, stratifiedKFold } from '@aml/data';
const [task, folds, seed, labels] = JSON.parse(process.argv[process.argv.length - 1]);
const rng = new Rng(seed); // as crossValidate: the splits come from the run generator's first fork
const s = task === 'classification' ? stratifiedKFold(Float64Array.from(labels), folds, rng.fork()) : kFold(labels.length, folds, rng.fork());
console.log(JSON.stringify(s.map((f) => f.val)));
"""


def datalab_folds(task, folds, seed, y_codes):
    """data-lab's outer validation rows per fold, from its own split functions and seed."""
    out = subprocess.run(['npx', 'ts-node', '--swc', '-T', '-e', FOLDS_TS, json.dumps([task, folds, seed, list(map(int, y_codes)) if task == 'classification' else [0] * len(y_codes)])],
                         cwd=os.path.join(ROOT, 'apps', 'data-lab'), capture_output=True, text=True, check=True)
    return [np.array(v) for v in json.loads(out.stdout.strip().splitlines()[-1])]


def class_codes(labels):
    """Class indices as data-lab encodes them: names sorted, numeric names by value."""
    names = sorted(set(labels), key=lambda s: (0, float(s), s) if _isnum(s) else (1, 0, s))
    if not all(_isnum(s) for s in names):
        names = sorted(set(labels))
    index = {n: i for i, n in enumerate(names)}
    return np.array([index[s] for s in labels])


def _isnum(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def models(task, n):
    if task == 'classification':
        return {
            'linear': (LogisticRegression(max_iter=300), {'model__C': [1 / (n * lam) for lam in (1e-3, 1e-2, 1e-1)]}),
            'forest': (RandomForestClassifier(n_estimators=60, min_samples_leaf=1, random_state=0), {'model__max_features': [0.15, 0.5]}),
            'mlp': (MLPClassifier(hidden_layer_sizes=(32, 32), activation='tanh', batch_size=64, learning_rate_init=0.01, max_iter=100,
                                  early_stopping=True, validation_fraction=0.15, n_iter_no_change=20, alpha=1e-4, random_state=0), {}),
        }
    return {
        'linear': (Ridge(), {'model__alpha': [lam * n for lam in (1e-4, 1e-2, 1)]}),
        'forest': (RandomForestRegressor(n_estimators=60, min_samples_leaf=5, random_state=0), {'model__max_features': [0.33, 1.0]}),
        'mlp': (MLPRegressor(hidden_layer_sizes=(32, 32), activation='tanh', batch_size=64, learning_rate_init=0.01, max_iter=100,
                             early_stopping=True, validation_fraction=0.15, n_iter_no_change=20, alpha=1e-4, random_state=0), {}),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('file')
    ap.add_argument('--target', required=True)
    ap.add_argument('--task', choices=['classification', 'regression'])
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--datalab', help="data-lab's metrics.json of the same file, folds and seed")
    a = ap.parse_args()
    with open(a.file) as f:
        rows = list(csv.DictReader(f))
    feats = [c for c in rows[0] if c != a.target]
    X = np.array([[float(r[c]) for c in feats] for r in rows])
    raw = [r[a.target] for r in rows]
    task = a.task or ('classification' if not all(_isnum(s) for s in raw) or len(set(raw)) <= 10 else 'regression')
    y = class_codes(raw) if task == 'classification' else np.array([float(s) for s in raw])
    vals = datalab_folds(task, a.folds, a.seed, y)
    metric = accuracy_score if task == 'classification' else r2_score
    dl = json.load(open(a.datalab)) if a.datalab else None
    key = 'accuracy' if task == 'classification' else 'r2'
    print(f'{os.path.basename(a.file)}: {X.shape[0]} x {X.shape[1]}, {task}, {a.folds} outer folds (data-lab\'s), inner 2-fold grid search')
    dl_secs = (dl.get('modelCpuSeconds') or dl['modelSeconds']) if dl else None
    dl_label = 'data-lab CPU s' if dl and dl.get('modelCpuSeconds') else 'data-lab s'
    print(f'{"model":8} {"sklearn " + key:>22} {"sklearn CPU s":>14} {"data-lab " + key:>22} {dl_label:>14}')
    for name, (est, grid) in models(task, X.shape[0] * (a.folds - 1) // a.folds).items():
        scores = []
        t0 = time.process_time()
        for val in vals:
            train = np.setdiff1d(np.arange(len(y)), val)
            pipe = Pipeline([('scale', StandardScaler()), ('model', est)])
            inner = StratifiedKFold(2, shuffle=True, random_state=a.seed) if task == 'classification' else KFold(2, shuffle=True, random_state=a.seed)
            search = GridSearchCV(pipe, grid, cv=inner)  # a one-point grid ({}) still runs the inner folds, as data-lab does
            search.fit(X[train], y[train])
            scores.append(metric(y[val], search.predict(X[val])))
        cpu = time.process_time() - t0
        ours = f'{dl["models"][name][key]["mean"]:.4f} ± {dl["models"][name][key]["std"]:.4f}' if dl else '-'
        secs = f'{dl_secs[name]:.1f}' if dl else '-'
        print(f'{name:8} {np.mean(scores):>13.4f} ± {np.std(scores):.4f} {cpu:>14.1f} {ours:>22} {secs:>14}')


if __name__ == '__main__':
    main()
