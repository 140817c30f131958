#!/usr/bin/python3
"""PyGlove's distributed loop in miniature: a policy service (PythiaService) in the worker's process that the
VizierService calls back for every suggestion, and workers that share one study as threads or processes.

Like PyGlove's evolution policy, the stand-in keeps per-trial state in trial metadata (namespace ':standin', key
DNA_METADATA) that it attaches to each suggestion and reads back from the study's completed trials on its next call
(failing, as PyGlove does, when it is missing), and keeps study-level state (its generation) in study metadata.
The study's ':standin' 'mode' item makes it raise, answer slowly ('slow:SECONDS') or return more suggestions than
asked ('surplus:N'). Its own code, not PyGlove's; the project's .proto files compiled with Debian's grpc-tools.

    /usr/bin/python3 tests/python/pyglove_standin.py --endpoint localhost:50051 --scenario threads

Scenarios: one-worker (30 trials), threads (10 threads x 10 trials), processes (4 processes x 10 trials),
surplus, raise, slow (a policy slower than the service's call timeout). Exit code 0 when every check holds.
"""

import argparse
import concurrent.futures
import json
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
import uuid

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vizier_conformance import compile_protos  # noqa: E402

NS = ":standin"
DNA = "DNA_METADATA"
pb = study_pb = kv_pb = ops_pb = vz_grpc = pythia_pb = pythia_grpc = None


def load_protos(out_dir, compiled=False):
    """Compiles the protos into out_dir, or (in a spawned worker process) imports what the parent compiled there."""
    global pb, vz_grpc, study_pb, kv_pb, ops_pb, pythia_pb, pythia_grpc
    if compiled:
        sys.path.insert(0, out_dir)
        import google.longrunning.operations_pb2 as ops
        import key_value_pb2
        import study_pb2
        import vizier_service_pb2
        import vizier_service_pb2_grpc
        pb, vz_grpc, study_pb, kv_pb, ops_pb = vizier_service_pb2, vizier_service_pb2_grpc, study_pb2, key_value_pb2, ops
    else:
        pb, vz_grpc, study_pb, kv_pb, ops_pb = compile_protos(out_dir)
    import pythia_service_pb2
    import pythia_service_pb2_grpc
    pythia_pb, pythia_grpc = pythia_service_pb2, pythia_service_pb2_grpc


class PolicyFailure(Exception):
    pass


def metadata_of(items):
    return {(kv.ns, kv.key): kv.value for kv in items}


class StandinPolicy:
    """A PythiaService: regularized-evolution-like mutation of the best completed trials' DNA."""

    def __init__(self, vizier_endpoint):
        self.vizier = vz_grpc.VizierServiceStub(grpc.insecure_channel(vizier_endpoint))
        self.lock = threading.Lock()
        self.calls = {}
        self.errors = []

    def Suggest(self, request, context):
        study = request.study_descriptor.guid
        md = metadata_of(request.study_descriptor.config.metadata)
        mode = md.get((NS, "mode"), "")
        with self.lock:
            calls = self.calls[study] = self.calls.get(study, 0) + 1
        if mode == "raise":
            raise KeyError("initial_population")
        if mode.startswith("slow:"):
            time.sleep(float(mode[5:]))

        # Study-level state: the generation this policy wrote last time must be what the study holds now.
        generation = int(md.get((NS, "generation"), "0"))
        if generation != calls - 1:
            self.errors.append(f"{study}: call {calls} saw generation {generation}")
            raise PolicyFailure(f"study metadata lost: generation {generation} on call {calls}")

        # Per-trial state: every completed trial must still carry the DNA this policy attached to it.
        population = []
        for trial in self.vizier.ListTrials(pb.ListTrialsRequest(parent=study)).trials:
            if trial.state != study_pb.Trial.SUCCEEDED:
                continue
            dna = metadata_of(trial.metadata).get((NS, DNA))
            if dna is None:
                self.errors.append(f"{trial.name} has no {DNA}")
                raise KeyError(f"{trial.name} has no {DNA}: initial_population")
            reward = next(m.value for m in trial.final_measurement.metrics if m.metric_id == "reward")
            population.append((reward, json.loads(dna)))

        rng = random.Random(f"{study}/{calls}")
        parents = sorted(population, key=lambda p: -p[0])[:10]
        extra = int(mode[8:]) if mode.startswith("surplus:") else 0
        decision = pythia_pb.SuggestDecision()
        for _ in range(request.count + extra):
            if parents:
                x, y = rng.choice(parents)[1]
                x, y = min(1.0, max(0.0, x + rng.gauss(0, 0.1))), min(1.0, max(0.0, y + rng.gauss(0, 0.1)))
            else:
                x, y = rng.random(), rng.random()
            suggestion = decision.suggestions.add()
            suggestion.parameters.add(parameter_id="x").value.number_value = x
            suggestion.parameters.add(parameter_id="y").value.number_value = y
            suggestion.metadata.add(ns=NS, key=DNA, value=json.dumps([x, y]))
        update = decision.metadata.add()
        update.metadatum.ns, update.metadatum.key, update.metadatum.value = NS, "generation", str(generation + 1)
        return decision

    def EarlyStop(self, request, context):
        return pythia_pb.EarlyStopDecisions()

    def Ping(self, request, context):
        from google.protobuf import empty_pb2
        return empty_pb2.Empty()


def serve_policy(vizier_endpoint):
    server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=8))
    policy = StandinPolicy(vizier_endpoint)
    pythia_grpc.add_PythiaServiceServicer_to_server(policy, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, policy, f"127.0.0.1:{port}"


def study_spec(pythia_endpoint, mode):
    spec = study_pb.StudySpec(algorithm="PYGLOVE_REGULARIZED_EVOLUTION")
    spec.metrics.add(metric_id="reward", goal=study_pb.StudySpec.MetricSpec.MAXIMIZE)
    for name in ("x", "y"):
        p = spec.parameters.add(parameter_id=name)
        p.double_value_spec.min_value, p.double_value_spec.max_value = 0.0, 1.0
    spec.metadata.add(ns=":service", key="PYTHIA_ENDPOINT", value=pythia_endpoint)
    spec.metadata.add(ns=NS, key="mode", value=mode)
    return spec


def suggest(stub, study, client_id):
    """As the OSS client suggests: SuggestTrials, then GetOperation until done; an operation error raises."""
    operation = stub.SuggestTrials(pb.SuggestTrialsRequest(parent=study, suggestion_count=1, client_id=client_id))
    attempts = 0
    while not operation.done:
        time.sleep(min(0.3 * 1.41 ** attempts, 3.0))
        attempts += 1
        operation = stub.GetOperation(ops_pb.GetOperationRequest(name=operation.name))
    if operation.HasField("error"):
        raise RuntimeError(f"SuggestOperation {operation.name} failed with message: {operation.error}")
    response = pb.SuggestTrialsResponse()
    operation.response.Unpack(response)
    return list(response.trials)


def evaluate(trial):
    x = next(p.value.number_value for p in trial.parameters if p.parameter_id == "x")
    y = next(p.value.number_value for p in trial.parameters if p.parameter_id == "y")
    return x * x - y * y


def work(endpoint, study, client_id, examples, errors):
    """One worker: suggest, evaluate, feed back (with an extra metric, as PyGlove's feedback(metrics=...) sends)."""
    stub = vz_grpc.VizierServiceStub(grpc.insecure_channel(endpoint))
    done = 0
    try:
        while done < examples:
            for trial in suggest(stub, study, client_id):
                measurement = study_pb.Measurement()
                measurement.metrics.add(metric_id="reward", value=evaluate(trial))
                measurement.metrics.add(metric_id="evaluation_seconds", value=0.001)
                stub.CompleteTrial(pb.CompleteTrialRequest(name=trial.name, final_measurement=measurement))
                done += 1
    except Exception as e:  # noqa: BLE001 - reported, and the scenario fails
        errors.append(f"{client_id}: {type(e).__name__}: {e}")
    return done


def process_worker(args):
    out_dir, endpoint, study, client_id, examples = args
    load_protos(out_dir, compiled=True)
    errors = []
    done = work(endpoint, study, client_id, examples, errors)
    return done, errors


class Checks:
    def __init__(self):
        self.failures, self.count = [], 0

    def equal(self, what, expected, actual):
        self.count += 1
        print(f"{'ok  ' if expected == actual else 'FAIL'} {what}" + ("" if expected == actual else f": expected {expected!r}, got {actual!r}"))
        if expected != actual:
            self.failures.append(what)


def create(stub, owner, policy_endpoint, mode):
    request = pb.CreateStudyRequest(parent=f"owners/{owner}", study=study_pb.Study(display_name=f"standin-{uuid.uuid4().hex[:8]}", study_spec=study_spec(policy_endpoint, mode)))
    return stub.CreateStudy(request).name


def check_study(checks, stub, study, expected_trials, expected_requested=0):
    trials = list(stub.ListTrials(pb.ListTrialsRequest(parent=study)).trials)
    succeeded = [t for t in trials if t.state == study_pb.Trial.SUCCEEDED]
    requested = [t for t in trials if t.state == study_pb.Trial.REQUESTED]
    checks.equal(f"{study}: trials", expected_trials + expected_requested, len(trials))
    checks.equal(f"{study}: completed trials", expected_trials, len(succeeded))
    checks.equal(f"{study}: surplus kept as REQUESTED", expected_requested, len(requested))
    checks.equal(f"{study}: ids 1..n", list(range(1, len(trials) + 1)), sorted(int(t.id) for t in trials))
    checks.equal(f"{study}: every trial carries its DNA", True, all((NS, DNA) in metadata_of(t.metadata) for t in trials))
    checks.equal(f"{study}: the extra metric is stored", True,
                 all(any(m.metric_id == "evaluation_seconds" for m in t.final_measurement.metrics) for t in succeeded))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--scenario", required=True, choices=["one-worker", "threads", "processes", "surplus", "raise", "slow"])
    parser.add_argument("--slow-seconds", type=float, default=10)
    args = parser.parse_args()

    out_dir = tempfile.mkdtemp(prefix="pyglove-standin-")
    load_protos(out_dir)
    stub = vz_grpc.VizierServiceStub(grpc.insecure_channel(args.endpoint))
    server, policy, policy_endpoint = serve_policy(args.endpoint)
    checks = Checks()
    owner = f"standin-{uuid.uuid4().hex[:6]}"
    started = time.time()
    try:
        if args.scenario in ("one-worker", "threads", "processes"):
            workers, examples = {"one-worker": (1, 30), "threads": (10, 10), "processes": (4, 10)}[args.scenario]
            study = create(stub, owner, policy_endpoint, "evolve")
            errors = []
            if args.scenario == "processes":
                with multiprocessing.get_context("spawn").Pool(workers) as pool:
                    results = pool.map(process_worker, [(out_dir, args.endpoint, study, f"process-{i}", examples) for i in range(workers)])
                done = [r[0] for r in results]
                errors = [e for r in results for e in r[1]]
            else:
                with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                    done = list(pool.map(lambda i: work(args.endpoint, study, f"thread-{i}", examples, errors), range(workers)))
            checks.equal("no worker raised", [], errors)
            checks.equal("every worker reached the end of its budget", [examples] * workers, done)
            checks.equal("the policy saw every trial's DNA and its own study state", [], policy.errors)
            check_study(checks, stub, study, workers * examples)
        elif args.scenario == "surplus":
            study = create(stub, owner, policy_endpoint, "surplus:3")
            errors = []
            checks.equal("one worker completes 10 trials", 10, work(args.endpoint, study, "w", 10, errors))
            checks.equal("no worker raised", [], errors)
            # Each policy call returns 4: calls at the 1st, 5th and 9th suggestion, 2 of the last batch left queued.
            checks.equal("policy calls", 3, policy.calls.get(study))
            check_study(checks, stub, study, 10, expected_requested=2)
        elif args.scenario == "raise":
            study = create(stub, owner, policy_endpoint, "raise")
            try:
                suggest(stub, study, "w")
                checks.equal("suggest raises", "RuntimeError", "no error")
            except RuntimeError as e:
                checks.equal("suggest raises with the policy's message", True, "initial_population" in str(e))
                checks.equal("the error is INTERNAL (13)", True, "code: 13" in str(e))
            checks.equal("nothing was created", 0, len(stub.ListTrials(pb.ListTrialsRequest(parent=study)).trials))
        elif args.scenario == "slow":
            study = create(stub, owner, policy_endpoint, f"slow:{args.slow_seconds}")
            first = stub.SuggestTrials(pb.SuggestTrialsRequest(parent=study, suggestion_count=1, client_id="w"))
            checks.equal("the first answer is an operation that is not done", False, first.done)
            trials = suggest(stub, study, "w")
            checks.equal("the slow policy's suggestion arrives through GetOperation", ["1"], [t.id for t in trials])
            checks.equal("it took longer than the policy's delay", True, time.time() - started >= args.slow_seconds)
    finally:
        server.stop(0)

    print(f"{args.scenario}: {checks.count - len(checks.failures)} of {checks.count} checks passed in {time.time() - started:.1f} s")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
