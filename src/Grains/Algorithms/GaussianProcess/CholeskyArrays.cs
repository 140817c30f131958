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
    /// <paramref name="columns"/> holds 2n work doubles.
    /// </summary>
    public static bool TryFactor(double[] a, int n, double[] columns)
    {
        var first = columns.AsSpan(0, n);
        var second = columns.AsSpan(n, n);
        var ij = 0;
        for (; ij + 1 < n; ij += 2)
        {
            // Two steps per pass over the remaining columns: step ij's update of column ij + 1 comes first (its pivot
            // needs it), then every later element takes step ij's term and step ij + 1's, in that order.
            if (!Pivot(a, n, ij, first))
            {
                return false;
            }

            SubtractScaled(a.AsSpan(((ij + 1) * n) + ij + 1, n - ij - 1), first.Slice(ij + 1, n - ij - 1), first[ij + 1]);
            if (!Pivot(a, n, ij + 1, second))
            {
                return false;
            }

            for (var j = ij + 2; j < n; j++)
            {
                SubtractScaled2(a.AsSpan((j * n) + j, n - j), first.Slice(j, n - j), first[j], second.Slice(j, n - j), second[j]);
            }
        }

        return ij == n - 1 ? Pivot(a, n, ij, first) : true;
    }

    /// <summary>
    /// The factor of the column-major <paramref name="matrix"/> (its lower triangle) into <paramref name="factor"/>,
    /// plus the smallest jitter on the diagonal that works, up to 1e-3: the retries, the jitter values and the test
    /// of a finite log determinant that the earlier MathNet-based code made, so the same doubles. False where no
    /// jitter works.
    /// </summary>
    public static bool TryFactorWithJitter(double[] matrix, int n, double[] factor, double[] columns)
    {
        for (var jitter = 0.0; ; jitter = jitter == 0 ? 1e-9 : jitter * 100)
        {
            Array.Copy(matrix, factor, n * n);
            if (jitter != 0)
            {
                for (var i = 0; i < n; i++)
                {
                    factor[(i * n) + i] += jitter;
                }
            }

            if (TryFactor(factor, n, columns) && double.IsFinite(DeterminantLn(factor, n)))
            {
                return true;
            }

            if (jitter >= 1e-3)
            {
                return false;
            }
        }
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

            // Two terms per pass over the row (k, then k - 1: each element's order kept); the element only k reaches
            // (column k) takes its one term alone.
            var k = i - 1;
            for (; k - 1 >= first; k -= 2)
            {
                var width = Math.Min(end, k + 1) - first;
                var shared = Math.Min(end, k) - first;
                SubtractScaled2(row[..shared], inverse.AsSpan((k * n) + first, shared), factor[(k * n) + i], inverse.AsSpan(((k - 1) * n) + first, shared), factor[((k - 1) * n) + i]);
                if (width > shared)
                {
                    row[shared] -= inverse[(k * n) + first + shared] * factor[(k * n) + i];
                }
            }

            if (k >= first)
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
            var k = i + 1;
            for (; k + 1 < n; k += 2)
            {
                SubtractScaled2(row, inverse.AsSpan((k * n) + first, width), factor[iindex + k], inverse.AsSpan(((k + 1) * n) + first, width), factor[iindex + k + 1]);
            }

            if (k < n)
            {
                SubtractScaled(row, inverse.AsSpan((k * n) + first, width), factor[iindex + k]);
            }

            Divide(row, factor[iindex + i]);
        }
    }

    /// <summary>Step ij's pivot: its square root, the multipliers below it divided by it and copied to <paramref name="column"/>.</summary>
    private static bool Pivot(double[] a, int n, int ij, Span<double> column)
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
        below.CopyTo(column[(ij + 1)..]);
        return true;
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

    /// <summary>target[i] = (target[i] - a[i] * sa) - b[i] * sb: two terms in order, one load and store of the target.</summary>
    private static void SubtractScaled2(Span<double> target, ReadOnlySpan<double> a, double sa, ReadOnlySpan<double> b, double sb)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var va = new Vector<double>(sa);
            var vb = new Vector<double>(sb);
            var t = MemoryMarshal.Cast<double, Vector<double>>(target);
            var x = MemoryMarshal.Cast<double, Vector<double>>(a[..target.Length]);
            var y = MemoryMarshal.Cast<double, Vector<double>>(b[..target.Length]);
            for (var v = 0; v < t.Length; v++)
            {
                t[v] = (t[v] - (x[v] * va)) - (y[v] * vb);
            }

            i = t.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] = (target[i] - (a[i] * sa)) - (b[i] * sb);
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
