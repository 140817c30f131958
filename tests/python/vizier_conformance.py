#!/usr/bin/python3
"""Runs the conformance flow of OSS Vizier's protocol (VIZIER_PROTOCOL.md, section 5) against a VizierService.

A client in another language than the server: it compiles the project's own .proto files with Debian's
grpc-tools, then makes the calls the OSS Python client makes, in its order and with its field values, over a
plaintext HTTP/2 channel, and checks what that client needs back. Exit code 0 when every check holds.

    /usr/bin/python3 tests/python/vizier_conformance.py --endpoint localhost:50051

Needs Debian's python3-grpcio and python3-grpc-tools (scripts/install-prerequisites.sh installs them).
"""

import argparse
import importlib
import os
import re
import shutil
import sys
import tempfile
import uuid

import grpc
from grpc_tools import protoc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTOS = os.path.join(ROOT, "src", "Grpc", "Protos")
FILES = ["key_value.proto", "study.proto", "vizier_service.proto", "pythia_service.proto",
         "google/rpc/status.proto", "google/longrunning/operations.proto"]


def compile_protos(out_dir):
    """Compiles the protos into out_dir and returns the imported modules."""
    src = os.path.join(out_dir, "src")
    shutil.copytree(PROTOS, src)
    # Debian's grpc-tools bundles protoc 3.5, older than proto3 'optional'. An optional scalar is by definition a
    # one-member oneof named '_<field>', identical on the wire, so the copy spells it that way for this compiler.
    optional = re.compile(r"^(\s*)optional ([\w.]+) (\w+) = (\d+);", re.MULTILINE)
    for name in FILES:
        path = os.path.join(src, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(optional.sub(r"\1oneof _\3 { \2 \3 = \4; }", text))

    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    args = ["protoc", f"-I{src}", f"-I{include}", f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", *FILES]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed on the project's .proto files")
    sys.path.insert(0, out_dir)
    return (importlib.import_module("vizier_service_pb2"), importlib.import_module("vizier_service_pb2_grpc"),
            importlib.import_module("study_pb2"), importlib.import_module("key_value_pb2"),
            importlib.import_module("google.longrunning.operations_pb2"))


class Checks:
    def __init__(self):
        self.failures = []
        self.count = 0

    def equal(self, what, expected, actual):
        self.count += 1
        if expected == actual:
            print(f"ok   {what}")
        else:
            print(f"FAIL {what}: expected {expected!r}, got {actual!r}")
            self.failures.append(what)

    def true(self, what, condition):
        self.equal(what, True, bool(condition))

    def status(self, what, expected, call):
        try:
            call()
            self.equal(what, expected, grpc.StatusCode.OK)
        except grpc.RpcError as e:
            self.equal(what, expected, e.code())


def trial_contract(checks, pb, trial, where):
    """What the OSS client checks on every returned Trial (section 4.8)."""
    checks.true(f"{where}: id is a decimal integer", trial.id.isdigit() and int(trial.id) > 0)
    ids = [p.parameter_id for p in trial.parameters]
    checks.equal(f"{where}: parameter ids unique", len(ids), len(set(ids)))
    checks.true(f"{where}: every value has a kind", all(p.value.WhichOneof("kind") in ("number_value", "string_value") for p in trial.parameters))
    completed = trial.state == pb.Trial.SUCCEEDED
    checks.equal(f"{where}: final_measurement only when SUCCEEDED", completed, trial.HasField("final_measurement"))


def run(endpoint):
    out_dir = tempfile.mkdtemp(prefix="vizier-proto-")
    try:
        vs, vs_grpc, study_pb, kv_pb, ops_pb = compile_protos(out_dir)
        channel = grpc.insecure_channel(endpoint)
        grpc.channel_ready_future(channel).result(timeout=10.0)
        stub = vs_grpc.VizierServiceStub(channel)
        checks = Checks()
        owner = "o1-" + uuid.uuid4().hex[:8]
        study_name = f"owners/{owner}/studies/s1"

        spec = study_pb.StudySpec(algorithm="RANDOM_SEARCH")
        spec.metrics.add(metric_id="acc", goal=study_pb.StudySpec.MetricSpec.MAXIMIZE)
        ps = study_pb.StudySpec.ParameterSpec
        spec.parameters.add(parameter_id="lr", double_value_spec=ps.DoubleValueSpec(min_value=1e-4, max_value=1e-1), scale_type=ps.UNIT_LOG_SCALE)
        spec.parameters.add(parameter_id="layers", integer_value_spec=ps.IntegerValueSpec(min_value=1, max_value=5))
        spec.parameters.add(parameter_id="opt", categorical_value_spec=ps.CategoricalValueSpec(values=["adam", "sgd"]))
        spec.parameters.add(parameter_id="bs", discrete_value_spec=ps.DiscreteValueSpec(values=[16, 32, 64]),
                            scale_type=ps.UNIT_LINEAR_SCALE, external_type=ps.AS_INTEGER)
        spec.parameters.add(parameter_id="flag", categorical_value_spec=ps.CategoricalValueSpec(values=["False", "True"]), external_type=ps.AS_BOOLEAN)
        spec.metadata.add(ns=":service", key="note", value="conformance")
        create = vs.CreateStudyRequest(parent=f"owners/{owner}", study=study_pb.Study(display_name="s1", study_spec=spec))

        # 1, 1b: create-or-load.
        checks.equal("1 CreateStudy name", study_name, stub.CreateStudy(create).name)
        checks.equal("1b CreateStudy again loads the same study", study_name, stub.CreateStudy(create).name)

        # 2, 2b: suggest two for w1, then the same two again.
        op = stub.SuggestTrials(vs.SuggestTrialsRequest(parent=study_name, suggestion_count=2, client_id="w1"))
        checks.true("2 operation done with a name", op.done and op.name)
        checks.equal("2 operation has a response", "response", op.WhichOneof("result"))
        response = vs.SuggestTrialsResponse()
        response.ParseFromString(op.response.value)
        checks.equal("2 trial ids", ["1", "2"], [t.id for t in response.trials])
        for t in response.trials:
            trial_contract(checks, study_pb, t, f"2 trial {t.id}")
            checks.equal(f"2 trial {t.id} state ACTIVE", study_pb.Trial.ACTIVE, t.state)
            checks.equal(f"2 trial {t.id} client_id", "w1", t.client_id)
            values = {p.parameter_id: p.value for p in t.parameters}
            checks.true(f"2 trial {t.id} flag is a category", values["flag"].string_value in ("False", "True"))
            checks.true(f"2 trial {t.id} bs is feasible", values["bs"].number_value in (16, 32, 64))
        polled = stub.GetOperation(ops_pb.GetOperationRequest(name=op.name))
        again = vs.SuggestTrialsResponse()
        again.ParseFromString(polled.response.value)
        checks.equal("GetOperation returns the same trials", ["1", "2"], [t.id for t in again.trials])
        op2 = stub.SuggestTrials(vs.SuggestTrialsRequest(parent=study_name, suggestion_count=2, client_id="w1"))
        repeat = vs.SuggestTrialsResponse()
        repeat.ParseFromString(op2.response.value)
        checks.equal("2b same pending trials", ["1", "2"], [t.id for t in repeat.trials])

        def measurement(value, steps, seconds):
            m = study_pb.Measurement(step_count=steps)
            m.elapsed_duration.seconds = int(seconds)
            m.elapsed_duration.nanos = int((seconds - int(seconds)) * 1e9)
            m.metrics.add(metric_id="acc", value=value)
            return m

        # 3, 4: measurement and completion.
        t1 = f"{study_name}/trials/1"
        added = stub.AddTrialMeasurement(vs.AddTrialMeasurementRequest(trial_name=t1, measurement=measurement(0.5, 1, 1.5)))
        trial_contract(checks, study_pb, added, "3 AddTrialMeasurement")
        done = stub.CompleteTrial(vs.CompleteTrialRequest(name=t1, final_measurement=measurement(0.9, 2, 3.25)))
        checks.equal("4 CompleteTrial state", study_pb.Trial.SUCCEEDED, done.state)
        checks.equal("4 CompleteTrial final acc", 0.9, done.final_measurement.metrics[0].value)
        checks.equal("4 elapsed seconds", 3, done.final_measurement.elapsed_duration.seconds)

        # 5, 5b: early stopping.
        stop = stub.CheckTrialEarlyStoppingState(vs.CheckTrialEarlyStoppingStateRequest(trial_name=f"{study_name}/trials/2"))
        checks.equal("5 should_stop", False, stop.should_stop)
        checks.status("5b check on a SUCCEEDED trial", grpc.StatusCode.FAILED_PRECONDITION,
                      lambda: stub.CheckTrialEarlyStoppingState(vs.CheckTrialEarlyStoppingStateRequest(trial_name=t1)))

        # 6, 7: optimal trials, all trials.
        optimal = stub.ListOptimalTrials(vs.ListOptimalTrialsRequest(parent=study_name))
        checks.equal("6 optimal trial ids", ["1"], [t.id for t in optimal.optimal_trials])
        listed = stub.ListTrials(vs.ListTrialsRequest(parent=study_name))
        checks.equal("7 trial ids", ["1", "2"], [t.id for t in listed.trials])
        checks.equal("7 states", [study_pb.Trial.SUCCEEDED, study_pb.Trial.ACTIVE], [t.state for t in listed.trials])
        for t in listed.trials:
            trial_contract(checks, study_pb, t, f"7 trial {t.id}")

        # Metadata: study item and a trial item, answered with empty error_details.
        update = vs.UpdateMetadataRequest(name=study_name)
        update.delta.add(metadatum=kv_pb.KeyValue(key="k", value="v"))
        update.delta.add(metadatum=kv_pb.KeyValue(ns=":t", key="k2", value="v2"), trial_id="2")
        checks.equal("UpdateMetadata error_details", "", stub.UpdateMetadata(update).error_details)
        loaded = stub.GetStudy(vs.GetStudyRequest(name=study_name))
        checks.true("GetStudy goals are 1 or 2", all(m.goal in (1, 2) for m in loaded.study_spec.metrics))
        checks.true("GetStudy every parameter spec has a kind", all(p.WhichOneof("parameter_value_spec") for p in loaded.study_spec.parameters))
        checks.equal("GetStudy keeps external types", [0, 0, 0, 2, 1], [p.external_type for p in loaded.study_spec.parameters])
        checks.true("GetStudy metadata round-trips", any(kv.key == "k" and kv.value == "v" for kv in loaded.study_spec.metadata)
                    and any(kv.ns == ":service" and kv.key == "note" for kv in loaded.study_spec.metadata))
        trial2 = stub.GetTrial(vs.GetTrialRequest(name=f"{study_name}/trials/2"))
        checks.true("GetTrial metadata", any(kv.ns == ":t" and kv.value == "v2" for kv in trial2.metadata))

        # 8, 8b, 8c: aborted study.
        stub.SetStudyState(vs.SetStudyStateRequest(parent=study_name, state=study_pb.Study.INACTIVE))
        checks.status("8b suggest on an INACTIVE study", grpc.StatusCode.FAILED_PRECONDITION,
                      lambda: stub.SuggestTrials(vs.SuggestTrialsRequest(parent=study_name, suggestion_count=1, client_id="w2")))
        checks.equal("8c state INACTIVE", study_pb.Study.INACTIVE, stub.GetStudy(vs.GetStudyRequest(name=study_name)).state)

        # 9, 9b: delete, then NOT_FOUND.
        stub.DeleteStudy(vs.DeleteStudyRequest(name=study_name))
        checks.status("9b GetStudy after delete", grpc.StatusCode.NOT_FOUND, lambda: stub.GetStudy(vs.GetStudyRequest(name=study_name)))
        checks.status("GetTrial of a missing study", grpc.StatusCode.NOT_FOUND, lambda: stub.GetTrial(vs.GetTrialRequest(name=t1)))
        checks.status("malformed study name", grpc.StatusCode.INVALID_ARGUMENT, lambda: stub.GetStudy(vs.GetStudyRequest(name="studies/s1")))

        print(f"{checks.count - len(checks.failures)} of {checks.count} checks passed against {endpoint}")
        return 1 if checks.failures else 0
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="localhost:50051", help="host:port of a VizierService (plaintext HTTP/2)")
    sys.exit(run(parser.parse_args().endpoint))
