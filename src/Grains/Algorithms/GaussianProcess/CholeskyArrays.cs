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
    /// <summary>The order from which the likelihood's O(n^2) and O(n^3) loops are split across two threads.</summary>
    internal const int ParallelOrder = 96;

    /// <summary>The default scheduler, explicitly: inside a grain the current one runs one task at a time.</summary>
    internal static readonly ParallelOptions ParallelOptions = new() { TaskScheduler = TaskScheduler.Default };

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
    /// j because rows below never read rows above. About a third of the arithmetic, vectorized. Columns are
    /// independent, so a large inverse is split into two column ranges computed at once.
    /// </summary>
    public static void InverseLowerTriangle(double[] factor, int n, double[] inverse)
    {
        if (n < ParallelOrder)
        {
            InverseColumns(factor, n, inverse, 0, n);
            return;
        }

        // Column j costs about (n - j)^2: the first fifth of the columns is half the work.
        var split = n / 5;
        Parallel.Invoke(ParallelOptions, () => InverseColumns(factor, n, inverse, 0, split), () => InverseColumns(factor, n, inverse, split, n));
    }

    /// <summary>Columns [<paramref name="first"/>, <paramref name="end"/>) of <see cref="InverseLowerTriangle"/>.</summary>
    private static void InverseColumns(double[] factor, int n, double[] inverse, int first, int end)
    {
        // Forward: y_j[i] = (e_j[i] - sum_{k = i-1 .. j} L[i, k] y_j[k]) / L[i, i].
        for (var i = first; i < n; i++)
        {
            var row = inverse.AsSpan((i * n) + first, Math.Min(end, i + 1) - first);
            row.Clear();
            if (i < end)
            {
                row[i - first] = 1.0;
            }

            for (var k = i - 1; k >= first; k--)
            {
                var width = Math.Min(end, k + 1) - first;
                SubtractScaled(row[..width], inverse.AsSpan((k * n) + first, width), factor[(k * n) + i]);
            }

            Divide(row, factor[(i * n) + i]);
        }

        // Back: x_j[i] = (y_j[i] - sum_{k = i+1 .. n-1} L[k, i] x_j[k]) / L[i, i], for i >= j.
        for (var i = n - 1; i >= first; i--)
        {
            var width = Math.Min(end, i + 1) - first;
            var row = inverse.AsSpan((i * n) + first, width);
            var iindex = i * n;
            for (var k = i + 1; k < n; k++)
            {
                SubtractScaled(row, inverse.AsSpan((k * n) + first, width), factor[iindex + k]);
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
