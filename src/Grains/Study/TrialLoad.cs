using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>What a study activation read of its trials (<see cref="StudyTrialReader.LoadAsync"/>).</summary>
/// <param name="Trials">Every stored trial, in id order; completed ones without intermediate measurements when the study compacts.</param>
/// <param name="WithoutMeasurements">The ids whose intermediate measurements were left out.</param>
/// <param name="SealedBlocks">The blocks read from a valid summary.</param>
/// <param name="Unsealed">Blocks read row by row that are sealable now: their summary, and the ETag read before the rows.</param>
internal sealed record TrialLoad(List<Trial> Trials, HashSet<long> WithoutMeasurements, HashSet<long> SealedBlocks, List<(TrialBlockSummary Summary, string? ETag)> Unsealed);
