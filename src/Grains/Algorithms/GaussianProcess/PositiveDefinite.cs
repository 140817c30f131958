using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>Cholesky factorization of a kernel matrix that retries with growing jitter on the diagonal.</summary>
internal static class PositiveDefinite
{
    /// <summary>The factor of <paramref name="matrix"/> (plus the smallest jitter that works, up to 1e-3).</summary>
    public static Cholesky<double> Cholesky(Matrix<double> matrix)
    {
        for (var jitter = 0.0; ; jitter = jitter == 0 ? 1e-9 : jitter * 100)
        {
            try
            {
                var cholesky = (jitter == 0 ? matrix : matrix + (Matrix<double>.Build.DenseIdentity(matrix.RowCount) * jitter)).Cholesky();
                if (double.IsFinite(cholesky.DeterminantLn))
                {
                    return cholesky;
                }
            }
            catch (ArgumentException) when (jitter < 1e-3)
            {
                // Numerically singular: retry with more jitter.
            }

            if (jitter >= 1e-3)
            {
                throw new ArgumentException("The kernel matrix is not positive definite even with jitter 1e-3.");
            }
        }
    }
}
