"""Runs Optuna's samplers on the benchmark problems of tests/VizierOrleans.Bbob, for the peer columns of the tables.

Usage (JSON on stdin, JSON lines on stdout; Debian's /usr/bin/python3 with python3-optuna):
  optuna_peer.py run        {"jobs": [{"spec": ..., "peer": "optuna-tpe", "trials": 100, "seed": 1, "parallel": 1, "batch": 1}]}
                            -> one line per job: {"index": k, "values": [[objective values of each trial, in the order results arrived]]}
  optuna_peer.py evaluate   {"problems": [{"spec": ..., "points": [{"x0": 0.5, ...}]}]}
                            -> {"values": [[[objective values of each point]]]}

Peers: optuna-tpe (TPESampler, Optuna's default), optuna-tpe-mv (multivariate TPE), optuna-nsga2 (NSGAIISampler),
optuna-qmc (scrambled Sobol QMCSampler), optuna-random (RandomSampler). With "parallel" > 1 that many trials are in
flight and results come back in random order; the TPE samplers then use Optuna's constant liar. With "batch" > 1
each round asks for that many trials and tells them all (as in the multi-objective benchmark).
"""
import json
import random
import sys
import warnings

from problems import Space

optuna = None  # imported in run mode only: evaluate mode (the port test) does not pay for it

PEERS = ("optuna-tpe", "optuna-tpe-mv", "optuna-nsga2", "optuna-qmc", "optuna-random")


def sampler(peer, seed, parallel, space):
    liar = parallel > 1
    if peer == "optuna-tpe":
        return optuna.samplers.TPESampler(seed=seed, constant_liar=liar)
    if peer == "optuna-tpe-mv":
        # group=True is what Optuna documents for multivariate TPE on conditional spaces.
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, group=space.spec["kind"] == "conditional", constant_liar=liar)
    if peer == "optuna-nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed)
    if peer == "optuna-qmc":
        return optuna.samplers.QMCSampler(seed=seed, scramble=True)
    if peer == "optuna-random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(f"unknown peer {peer}; known: {', '.join(PEERS)}")


def run(job):
    space = Space(job["spec"])
    trials, seed = job["trials"], job["seed"]
    parallel, batch = job.get("parallel", 1), job.get("batch", 1)
    study = optuna.create_study(directions=["minimize"] * space.objectives, sampler=sampler(job["peer"], seed, parallel, space))
    order = random.Random(seed * 31)
    values = []
    asked = 0
    if batch > 1:
        while asked < trials:
            round_trials = []
            for _ in range(min(batch, trials - asked)):
                trial = study.ask()
                round_trials.append((trial, space.evaluate(space.suggest(trial))))
                asked += 1
            for trial, value in round_trials:
                study.tell(trial, value if space.objectives > 1 else value[0])
                values.append(value)
        return values
    pending = []
    while len(values) < trials:
        while len(pending) < parallel and asked < trials:
            trial = study.ask()
            pending.append((trial, space.suggest(trial)))
            asked += 1
        trial, params = pending.pop(0 if parallel == 1 else order.randrange(len(pending)))
        value = space.evaluate(params)
        study.tell(trial, value if space.objectives > 1 else value[0])
        values.append(value)
    return values


def main():
    global optuna
    request = json.load(sys.stdin)
    if sys.argv[1] == "evaluate":
        out = [[Space(p["spec"]).evaluate(point) for point in p["points"]] for p in request["problems"]]
        json.dump({"values": out}, sys.stdout)
        return
    import optuna as module
    optuna = module
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    for index, job in enumerate(request["jobs"]):
        sys.stdout.write(json.dumps({"index": index, "values": run(job)}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
