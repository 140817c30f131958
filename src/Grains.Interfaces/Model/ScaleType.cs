namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>How a numeric parameter's range is stretched before an algorithm searches it.</summary>
public enum ScaleType
{
    /// <summary>Uniform in the value itself.</summary>
    Linear = 0,

    /// <summary>Uniform in log(value); needs min &gt; 0.</summary>
    Log = 1,

    /// <summary>Dense near max instead of near min (mirror image of LOG).</summary>
    ReverseLog = 2,
}
