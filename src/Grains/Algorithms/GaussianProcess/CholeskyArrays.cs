using System.Numerics;
using System.Runtime.InteropServices;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// Cholesky factorization, solve and inverse on raw column-major arrays, for the likelihood's hot loop. Every output
/// double is the one MathNet 5's managed provider computes (<c>Matrix.Cholesky()</c>, <c>Solve</c>,
/// <c>Solve(Identity)</c>): the same operations on each element in the same order, so seeded fits and suggestions do
/// not change. Speed comes only from what keeps each element's arithmetic intact: SIMD across independent elements
/// (never across a sum), no allocation, and skipping terms that are exact zeros.
/// </summary>
internal static class CholeskyArrays
{
    /// <summary>
    /// Overwrites the lower triangle (diagonal included) of the column-major <paramref name="a"/> with its Cholesky
    /// factor, as MathNet's right-looking <c>CholeskyFactor</c> does; the upper triangle is left as it was (never read
    /// here). False when a pivot is not positive (MathNet throws <see cref="ArgumentException"/> there).
    /// </summary>
    public static bool TryFactor(double[] a, int n, double[] column)
    {
        for (var ij = 0; ij < n; ij++)
        {
            var pivot = a[(ij * n) + ij];
            if (!(pivot > 0.0))
            {
                return false;
            }

            pivot = Math.Sqrt(pivot);
            a[(ij * n) + ij] = pivot;
            column[ij] = pivot;
            var below = a.AsSpan((ij * n) + ij + 1, n - ij - 1);
            Divide(below, pivot);
            below.CopyTo(column.AsSpan(ij + 1));

            // Each remaining column j loses column[j] times the multipliers: element-wise, so vectorized over rows.
            for (var j = ij + 1; j < n; j++)
            {
                SubtractScaled(a.AsSpan((j * n) + j, n - j), column.AsSpan(j, n - j), column[j]);
            }
        }

        return true;
    }

    /// <summary>log det A from its factor, summed in MathNet's order.</summary>
    public static double DeterminantLn(double[] factor, int n)
    {
        var det = 0.0;
        for (var j = 0; j < n; j++)
        {
            det += 2 * Math.Log(factor[(j * n) + j]);
        }

        return det;
    }

    /// <summary>Solves A x = b in place (forward then back substitution), as MathNet's <c>DoCholeskySolve</c>.</summary>
    public static void Solve(double[] factor, int n, double[] b)
    {
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = i - 1; k >= 0; k--)
            {
                sum -= factor[(k * n) + i] * b[k];
            }

            b[i] = sum / factor[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            var iindex = i * n;
            for (var k = i + 1; k < n; k++)
            {
                sum -= factor[iindex + k] * b[k];
            }

            b[i] = sum / factor[iindex + i];
        }
    }

    /// <summary>
    /// The lower triangle of A^-1 into the row-major <paramref name="inverse"/>: <c>inverse[i * n + j]</c>, j &lt;= i,
    /// is the (i, j) element MathNet's <c>Solve(Identity)</c> returns. That solves column j alone; here row i of all
    /// columns is updated at once (each column's terms still in MathNet's order), the forward pass starts at row j
    /// because the rows above it are exact zeros whose terms leave every sum unchanged, and the back pass stops at row
    /// j because rows below never read rows above. About a third of the arithmetic, vectorized.
    /// </summary>
    public static void InverseLowerTriangle(double[] factor, int n, double[] inverse)
    {
        // Forward: y_j[i] = (e_j[i] - sum_{k = i-1 .. j} L[i, k] y_j[k]) / L[i, i].
        for (var i = 0; i < n; i++)
        {
            var row = inverse.AsSpan(i * n, i + 1);
            row.Clear();
            row[i] = 1.0;
            for (var k = i - 1; k >= 0; k--)
            {
                SubtractScaled(row[..(k + 1)], inverse.AsSpan(k * n, k + 1), factor[(k * n) + i]);
            }

            Divide(row, factor[(i * n) + i]);
        }

        // Back: x_j[i] = (y_j[i] - sum_{k = i+1 .. n-1} L[k, i] x_j[k]) / L[i, i], for i >= j.
        for (var i = n - 1; i >= 0; i--)
        {
            var row = inverse.AsSpan(i * n, i + 1);
            var iindex = i * n;
            for (var k = i + 1; k < n; k++)
            {
                SubtractScaled(row, inverse.AsSpan(k * n, i + 1), factor[iindex + k]);
            }

            Divide(row, factor[iindex + i]);
        }
    }

    /// <summary>target[i] -= source[i] * scale, element by element (a multiply then a subtract, never fused).</summary>
    private static void SubtractScaled(Span<double> target, ReadOnlySpan<double> source, double scale)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var s = new Vector<double>(scale);
            var t = MemoryMarshal.Cast<double, Vector<double>>(target);
            var x = MemoryMarshal.Cast<double, Vector<double>>(source[..target.Length]);
            for (var v = 0; v < t.Length; v++)
            {
                t[v] -= x[v] * s;
            }

            i = t.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] -= source[i] * scale;
        }
    }

    private static void Divide(Span<double> target, double divisor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var d = new Vector<double>(divisor);
            var t = MemoryMarshal.Cast<double, Vector<double>>(target);
            for (var v = 0; v < t.Length; v++)
            {
                t[v] /= d;
            }

            i = t.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] /= divisor;
        }
    }
}
