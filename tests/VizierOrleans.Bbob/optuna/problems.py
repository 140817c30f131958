"""Python ports of the benchmark problems of tests/VizierOrleans.Bbob (BbobFunctions.cs and Problems/*.cs).

A problem arrives as the JSON its C# class writes (IBenchmarkProblem.Spec): shifts, rotations and level mappings
are generated once in C#, so both sides evaluate exactly the same function. Sums run in the same order as the C#
code (plain loops, no pairwise or compensated summation) so the values agree to rounding; a test of the C# suite
(OptunaPortTests) checks them on shared test vectors to 1e-9 relative.
"""
import math


def _dot(row, x):
    total = 0.0
    for a, b in zip(row, x):
        total += a * b
    return total


def _sum(values):
    total = 0.0
    for v in values:
        total += v
    return total


class Bbob:
    """BbobFunctions.cs: x in [-5, 5]^D, minimized, optimum 0; evaluated at x - shift."""

    def __init__(self, spec):
        self.function = spec["function"]
        self.d = spec["d"]
        self.shift = spec["shift"]
        self.r = spec.get("r")
        self.q = spec.get("q")

    def _rot(self, m, x):
        if m is None:
            return list(x)
        return [_dot(row, x) for row in m]

    def _lam(self, alpha):
        d = self.d
        return [math.pow(alpha, i / (2.0 * (d - 1))) for i in range(d)]

    @staticmethod
    def _tosz1(e):
        if e == 0:
            return 0.0
        h = math.log(abs(e))
        c1, c2 = (10.0, 7.9) if e > 0 else (5.5, 3.1)
        return math.copysign(1.0, e) * math.exp(h + 0.049 * (math.sin(c1 * h) + math.sin(c2 * h)))

    def _tosz(self, v):
        return [self._tosz1(e) for e in v]

    def _tasy(self, v, beta):
        d = self.d
        return [math.pow(v[i], 1 + beta * i / (d - 1) * math.sqrt(v[i])) if v[i] > 0 else v[i] for i in range(d)]

    @staticmethod
    def _fpen(x):
        return _sum(math.pow(max(0.0, abs(v) - 5), 2) for v in x)

    def __call__(self, x):
        x = [v - s for v, s in zip(x, self.shift)]
        return getattr(self, "_" + self.function)(x)

    def _Sphere(self, x):
        return _sum(v * v for v in x)

    def _Ellipsoidal(self, x):
        z = self._tosz(x)
        d = self.d
        return _sum(math.pow(10, 6.0 * i / (d - 1)) * z[i] * z[i] for i in range(d))

    def _Rastrigin(self, x):
        d = self.d
        inner = self._rot(self.q, self._tasy(self._tosz(self._rot(self.r, x)), 0.2))
        z = self._rot(self.r, [a * b for a, b in zip(self._lam(10), inner)])
        return 10 * (d - _sum(math.cos(2 * math.pi * zi) for zi in z)) + _sum(zi * zi for zi in z)

    def _BuecheRastrigin(self, x):
        d = self.d
        t = self._tosz(x)
        l = []
        for i in range(d):
            s = math.pow(10, i / (2.0 * (d - 1)))
            if i % 2 == 0 and x[i] > 0:
                s *= 10
            l.append(s * t[i])
        return 10 * (d - _sum(math.cos(2 * math.pi * li) for li in l)) + _sum(li * li for li in l) + 100 * self._fpen(x)

    def _LinearSlope(self, x):
        d = self.d
        z = self._rot(self.r, x)
        total = 0.0
        for i in range(d):
            s = math.pow(10, i / float(d - 1))
            row = self.r[i] if self.r is not None else [1.0 if j == i else 0.0 for j in range(d)]
            bound = 5 * _sum(abs(v) for v in row)
            total += s * (bound - z[i])
        return total

    def _AttractiveSector(self, x):
        d = self.d
        x0 = [1.0 if i % 2 == 0 else -1.0 for i in range(d)]
        z = self._rot(self.q, [a * b for a, b in zip(self._lam(10), self._rot(self.r, [v - o for v, o in zip(x, x0)]))])
        total = 0.0
        for i in range(d):
            s = 100 if z[i] * x0[i] > 0 else 1
            total += math.pow(s * z[i], 2)
        return math.pow(self._tosz1(total), 0.9)

    def _StepEllipsoidal(self, x):
        d = self.d
        zh = [a * b for a, b in zip(self._lam(10), self._rot(self.r, x))]
        zt = [math.floor(0.5 + v) if v > 0.5 else math.floor(0.5 + 10 * v) / 10 for v in zh]
        z = self._rot(self.q, zt)
        total = _sum(math.pow(10, 2.0 * i / (d - 1)) * z[i] * z[i] for i in range(d))
        return 0.1 * max(abs(zh[0]) / 1000, total) + self._fpen(x)

    def _RosenbrockRotated(self, x):
        d = self.d
        z = [v * max(1, math.sqrt(d) / 8) + 0.5 for v in self._rot(self.r, x)]
        return _sum(100 * math.pow(z[i] * z[i] - z[i + 1], 2) + math.pow(z[i] - 1, 2) for i in range(d - 1))

    def _Discus(self, x):
        z = self._tosz(self._rot(self.r, x))
        return 1e6 * z[0] * z[0] + _sum(z[i] * z[i] for i in range(1, self.d))

    def _BentCigar(self, x):
        z = self._rot(self.r, self._tasy(self._rot(self.r, x), 0.5))
        return z[0] * z[0] + 1e6 * _sum(z[i] * z[i] for i in range(1, self.d))

    def _SharpRidge(self, x):
        z = self._rot(self.q, [a * b for a, b in zip(self._lam(10), self._rot(self.r, x))])
        return z[0] * z[0] + 100 * math.sqrt(_sum(z[i] * z[i] for i in range(1, self.d)))

    def _DifferentPowers(self, x):
        d = self.d
        z = self._rot(self.r, x)
        return math.sqrt(_sum(math.pow(abs(z[i]), 2 + 4.0 * i / (d - 1)) for i in range(d)))

    def _Weierstrass(self, x):
        d = self.d
        z = [a * b for a, b in zip(self._lam(0.01), self._rot(self.q, self._tosz(self._rot(self.r, x))))]
        f0 = _sum(math.pow(2, -k) * math.cos(math.pi * math.pow(3, k)) for k in range(12))
        total = _sum(_sum(math.pow(2, -k) * math.cos(2 * math.pi * math.pow(3, k) * (z[i] + 0.5)) for k in range(12)) for i in range(d))
        return 10 * math.pow(total / d - f0, 3) + 10.0 / d * self._fpen(x)

    def _SchaffersF7(self, x):
        d = self.d
        z = [a * b for a, b in zip(self._lam(10), self._rot(self.q, self._tasy(self._rot(self.r, x), 0.5)))]
        total = 0.0
        for i in range(d - 1):
            s = math.sqrt(z[i] * z[i] + z[i + 1] * z[i + 1])
            total += math.sqrt(s) + math.sqrt(s) * math.pow(math.sin(50 * math.pow(s, 0.2)), 2)
        return math.pow(total / (d - 1), 2) + 10 * self._fpen(x)

    def _GriewankRosenbrock(self, x):
        d = self.d
        z = [v * max(1, math.sqrt(d) / 8) + 1 for v in self._rot(self.r, x)]
        total = 0.0
        for i in range(d - 1):
            s = 100 * math.pow(z[i] * z[i] - z[i + 1], 2) + math.pow(z[i] - 1, 2)
            total += s / 4000 - math.cos(s)
        return 10.0 / (d - 1) * total + 10

    def _Schwefel(self, x):
        d = self.d
        b = [-1.0 if i % 2 == 0 else 1.0 for i in range(d)]
        xo = [v * 2.10484373165 for v in b]
        xh = [(2 * bi) * xi for bi, xi in zip(b, x)]
        zh = [xh[0] if i == 0 else xh[i] + 0.25 * (xh[i - 1] - 2 * abs(xo[i - 1])) for i in range(d)]
        abs_xo = [abs(v) * 2 for v in xo]
        lam = self._lam(10)
        z = [(lam[i] * (zh[i] - abs_xo[i]) + abs_xo[i]) * 100 for i in range(d)]
        total = _sum(zi * math.sin(math.sqrt(abs(zi))) for zi in z)
        return -total / (100.0 * d) + 4.189828872724339 + 100 * self._fpen([zi / 100 for zi in z])

    def _Katsuura(self, x):
        d = self.d
        z = self._rot(self.q, [a * b for a, b in zip(self._lam(100), self._rot(self.r, x))])
        product = 1.0
        for i in range(d):
            s = 0.0
            for j in range(1, 33):
                p = math.pow(2, j)
                s += abs(p * z[i] - round(p * z[i])) / p
            product *= math.pow(1 + (i + 1) * s, 10 / math.pow(d, 1.2))
        return 10.0 / (d * d) * product - 10.0 / (d * d) + self._fpen(x)

    def _Lunacek(self, x):
        d = self.d
        mu0 = 2.5
        s = 1 - 1 / (2 * math.sqrt(d + 20) - 8.2)
        mu1 = -math.sqrt((mu0 * mu0 - 1) / s)
        xh = [v * 2 for v in x]
        z = self._rot(self.q, [a * b for a, b in zip(self._lam(100), self._rot(self.r, [v - mu0 for v in xh]))])
        a = _sum((v - mu0) * (v - mu0) for v in xh)
        bb = d + s * _sum((v - mu1) * (v - mu1) for v in xh)
        return min(a, bb) + 10 * (d - _sum(math.cos(2 * math.pi * zi) for zi in z)) + 1e4 * self._fpen(x)


class Space:
    """The search space and objective of one problem, for Optuna's define-by-run trials."""

    def __init__(self, spec):
        self.spec = spec
        kind = spec["kind"]
        self.objectives = 1
        if kind == "bbob":
            self.f = Bbob(spec)
        elif kind == "mixed":
            self.f = Bbob(spec["inner"])
            self.levels = spec["levels"]
        elif kind == "conditional":
            self.fa = Bbob(spec["a"])
            self.fb = Bbob(spec["b"])
        elif kind == "multiobjective":
            self.objectives = {"DTLZ2-2": 2, "DTLZ2-3": 3}.get(spec["name"], 2)
        else:
            raise ValueError("unknown problem kind " + kind)

    def suggest(self, trial):
        """The parameters of one Optuna trial, named as the C# study names them."""
        kind = self.spec["kind"]
        if kind in ("bbob", "multiobjective"):
            low, high = (self.spec.get("low", -5.0), self.spec.get("high", 5.0))
            return {f"x{i}": trial.suggest_float(f"x{i}", low, high) for i in range(self.spec["d"])}
        if kind == "mixed":
            params = {}
            for p in self.spec["parameters"]:
                name, t = p["name"], p["type"]
                if t == "DOUBLE":
                    params[name] = trial.suggest_float(name, p["min"], p["max"])
                elif t == "INTEGER":
                    params[name] = trial.suggest_int(name, p["min"], p["max"])
                elif t == "DISCRETE":
                    values = p["values"]
                    step = values[1] - values[0]
                    if all(abs(values[k + 1] - values[k] - step) < 1e-12 for k in range(len(values) - 1)):
                        params[name] = trial.suggest_float(name, values[0], values[-1], step=step)
                    else:
                        params[name] = trial.suggest_categorical(name, values)
                else:
                    params[name] = trial.suggest_categorical(name, p["categories"])
            return params
        branch = trial.suggest_categorical("branch", ["a", "b"])
        sub = self.spec[branch]
        params = {"branch": branch}
        for i in range(sub["d"]):
            params[f"{branch}_x{i}"] = trial.suggest_float(f"{branch}_x{i}", -5.0, 5.0)
        return params

    def evaluate(self, params):
        """The objective values (a list) of a parameter assignment."""
        kind = self.spec["kind"]
        if kind == "bbob":
            return [self.f([params[f"x{i}"] for i in range(self.spec["d"])])]
        if kind == "mixed":
            x = []
            for p in self.spec["parameters"]:
                v = params[p["name"]]
                x.append(self.levels[int(v[1:])] if p["type"] == "CATEGORICAL" else float(v))
            return [self.f(x)]
        if kind == "conditional":
            branch = params["branch"]
            f = self.fa if branch == "a" else self.fb
            value = f([params[f"{branch}_x{i}"] for i in range(f.d)])
            return [value if branch == "a" else value + self.spec["offset_b"]]
        return multiobjective(self.spec["name"], [params[f"x{i}"] for i in range(self.spec["d"])])


def multiobjective(name, x):
    """MultiObjectiveProblem.cs."""
    if name in ("ZDT1", "ZDT2", "ZDT3"):
        f1 = x[0]
        g = 1 + 9.0 / (len(x) - 1) * _sum(x[1:])
        t = f1 / g
        if name == "ZDT1":
            h = 1 - math.sqrt(t)
        elif name == "ZDT2":
            h = 1 - t * t
        else:
            h = 1 - math.sqrt(t) - t * math.sin(10 * math.pi * f1)
        return [f1, g * h]
    if name in ("DTLZ2-2", "DTLZ2-3"):
        m = 2 if name == "DTLZ2-2" else 3
        g = _sum((v - 0.5) * (v - 0.5) for v in x[m - 1:])
        f = []
        for i in range(m):
            value = 1 + g
            for j in range(m - 1 - i):
                value *= math.cos(x[j] * math.pi / 2)
            if i > 0:
                value *= math.sin(x[m - 1 - i] * math.pi / 2)
            f.append(value)
        return f
    if name == "TwoSpheres":
        return [_sum((v - 1) * (v - 1) for v in x), _sum((v + 1) * (v + 1) for v in x)]
    s = 1 / math.sqrt(len(x))
    return [1 - math.exp(-_sum((v - s) * (v - s) for v in x)), 1 - math.exp(-_sum((v + s) * (v + s) for v in x))]
