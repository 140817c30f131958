using MathNet.Numerics.LinearAlgebra;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Worker;

/// <summary>
/// A real tuning problem: kernel ridge regression on a noisy 4-D regression task. The tuned hyperparameters are
/// the kernel (with conditional children), its length scale or degree, and the regularization; the objective is
/// the validation RMSE. Data are generated from a fixed seed so every worker sees the same task.
/// </summary>
public sealed class KernelRidgeObjective
{
    private const int Dimensions = 4;
    private readonly Matrix<double> _trainX;
    private readonly Vector<double> _trainY;
    private readonly Matrix<double> _validX;
    private readonly Vector<double> _validY;

    public KernelRidgeObjective(int trainSize = 250, int validationSize = 250, int seed = 2017)
    {
        var random = new Random(seed);
        (_trainX, _trainY) = Sample(trainSize, random);
        (_validX, _validY) = Sample(validationSize, random);
    }

    /// <summary>The search space of the problem.</summary>
    public static StudyConfig StudyConfig(string algorithm, int maxTrials) => new()
    {
        Parameters =
        [
            ParameterConfig.Categorical("kernel", "rbf", "laplacian", "polynomial")
                .WithChild(ParameterConfig.Double("length_scale", 0.05, 20, ScaleType.Log), "rbf", "laplacian")
                .WithChild(ParameterConfig.Integer("degree", 1, 6), "polynomial"),
            ParameterConfig.Double("regularization", 1e-6, 10, ScaleType.Log),
        ],
        Metrics = [MetricConfig.Objective("validation_rmse", MetricGoal.Minimize)],
        Algorithm = algorithm,
        MaxTrials = maxTrials,
    };

    /// <summary>Trains on the training set with the trial's hyperparameters and returns the validation RMSE.</summary>
    public Measurement Evaluate(TrialHandle trial)
    {
        var kernel = trial.GetString("kernel");
        var lambda = trial.GetDouble("regularization");
        Func<Vector<double>, Vector<double>, double> k = kernel switch
        {
            "rbf" => Rbf(trial.GetDouble("length_scale")),
            "laplacian" => Laplacian(trial.GetDouble("length_scale")),
            _ => Polynomial((int)trial.GetInt64("degree")),
        };

        var n = _trainX.RowCount;
        var gram = Matrix<double>.Build.Dense(n, n, (i, j) => k(_trainX.Row(i), _trainX.Row(j)));
        var regularized = gram + (Matrix<double>.Build.DenseIdentity(n) * (lambda * n));
        Vector<double> alpha;
        try
        {
            alpha = regularized.Cholesky().Solve(_trainY);
        }
        catch (ArgumentException)
        {
            throw new InfeasibleTrialException($"kernel matrix is not positive definite for {kernel} with regularization {lambda:G3}");
        }

        var sse = 0.0;
        for (var i = 0; i < _validX.RowCount; i++)
        {
            var row = _validX.Row(i);
            var prediction = 0.0;
            for (var j = 0; j < n; j++)
            {
                prediction += alpha[j] * k(row, _trainX.Row(j));
            }

            sse += Math.Pow(prediction - _validY[i], 2);
        }

        var rmse = Math.Sqrt(sse / _validX.RowCount);
        return double.IsFinite(rmse)
            ? Measurement.Of("validation_rmse", rmse)
            : throw new InfeasibleTrialException("prediction diverged");
    }

    private static Func<Vector<double>, Vector<double>, double> Rbf(double l) => (a, b) => Math.Exp(-(a - b).DotProduct(a - b) / (2 * l * l));

    private static Func<Vector<double>, Vector<double>, double> Laplacian(double l) => (a, b) => Math.Exp(-(a - b).L1Norm() / l);

    private static Func<Vector<double>, Vector<double>, double> Polynomial(int degree) => (a, b) => Math.Pow(1 + a.DotProduct(b), degree);

    private static (Matrix<double> X, Vector<double> Y) Sample(int count, Random random)
    {
        var x = Matrix<double>.Build.Dense(count, Dimensions, (_, _) => (random.NextDouble() * 2) - 1);
        var y = Vector<double>.Build.Dense(count, i =>
        {
            var r = x.Row(i);
            var noise = 0.1 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Sin(3 * r[0]) + (r[1] * r[1]) - (0.5 * r[2] * r[3]) + noise;
        });
        return (x, y);
    }
}
