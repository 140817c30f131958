using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Faults;

/// <summary>
/// Two activations of one study at once: after a silo is paused past the probe timeout the cluster activates the study
/// elsewhere, and the resumed (zombie) activation still serves what it had queued. The ids both allocate overlap (the
/// zombie's reservation block is still in the study record), so the trial grain must refuse the second creation of an
/// id. Here the other activation is played by the test, which creates the study's next trial itself.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class ActivationFencingTests(FaultClusterFixture fixture)
{
    private Task<StudyHandle> NewStudyAsync() =>
        fixture.Client.CreateOrLoadStudyAsync("fencing", TestConfigs.UniqueId(), TestConfigs.TwoFloats());

    // What another activation of the study stores as trial `id`: ACTIVE for another worker.
    private async Task<Trial> CreateAsAnotherActivationAsync(StudyHandle study, long id, ImmutableDictionary<string, ParameterValue> parameters)
    {
        var trial = new Trial
        {
            StudyName = study.Name,
            Id = id,
            Parameters = parameters,
            State = TrialState.Active,
            ClientId = "other-activation-worker",
            CreateTime = DateTimeOffset.UtcNow,
            StartTime = DateTimeOffset.UtcNow,
        };
        return await fixture.Cluster.GrainFactory.GetGrain<ITrialGrain>(ResourceNames.Trial(study.Name, id)).CreateAsync(trial, Guid.NewGuid());
    }

    private static async Task CompleteFirstTrialAsync(StudyHandle study)
    {
        var first = Assert.Single(await study.SuggestAsync(1, "w"));
        Assert.Equal(1, first.Id);
        await first.CompleteAsync(Measurement.Of("loss", 1));
    }

    private static async Task AssertTheWorkerGetsTheNextIdAsync(StudyHandle study, Trial planted)
    {
        // The study's view was stale: it reloads (the client retries the refused call) and hands out the id after it.
        var given = Assert.Single(await study.SuggestAsync(1, "w"));
        Assert.Equal(planted.Id + 1, given.Id);
        Assert.Equal(TrialState.Succeeded, (await given.CompleteAsync(Measurement.Of("loss", 1))).State);

        var stored = await study.Trial(planted.Id).MaterializeAsync();
        Assert.Equal(planted.ClientId, stored.ClientId);
        Assert.Equal(TrialState.Active, stored.State);
        Assert.Equal([1, planted.Id, planted.Id + 1], (await study.ListTrialsAsync()).Select(t => t.Id));
    }

    [Fact]
    public async Task A_trial_id_another_activation_created_is_not_handed_to_a_second_worker()
    {
        var study = await NewStudyAsync();
        await CompleteFirstTrialAsync(study);
        var planted = await CreateAsAnotherActivationAsync(study, 2, ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 0.5).Add("y", -0.5));

        await AssertTheWorkerGetsTheNextIdAsync(study, planted);
    }

    [Fact]
    public async Task A_trial_id_another_activation_created_with_the_same_seeded_parameters_is_not_handed_to_a_second_worker()
    {
        // Random search is seeded by the study seed and the trial id: both activations suggest the same point for id 2,
        // which must not pass for a retry of this activation's own creation.
        var twin = await NewStudyAsync();
        await twin.SuggestAsync(1, "twin");
        var twinSecond = Assert.Single(await twin.SuggestAsync(1, "twin"));
        var study = await NewStudyAsync();
        await CompleteFirstTrialAsync(study);
        var planted = await CreateAsAnotherActivationAsync(study, 2, twinSecond.Snapshot.Parameters);

        await AssertTheWorkerGetsTheNextIdAsync(study, planted);
    }

    [Fact]
    public async Task A_trial_created_by_hand_is_not_given_an_id_another_activation_created()
    {
        var study = await NewStudyAsync();
        await CompleteFirstTrialAsync(study);
        var planted = await CreateAsAnotherActivationAsync(study, 2, ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 0.5).Add("y", -0.5));

        var added = await study.RequestTrialAsync(ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 1.0).Add("y", 1.0), requestKey: "by-hand");
        Assert.Equal(3, added.Id);
        Assert.Equal(planted.ClientId, (await study.Trial(2).MaterializeAsync()).ClientId);
    }

    [Fact]
    public async Task A_repeated_creation_by_the_same_activation_returns_the_stored_trial_and_another_activations_is_refused()
    {
        var study = await NewStudyAsync();
        var grain = fixture.Cluster.GrainFactory.GetGrain<ITrialGrain>(ResourceNames.Trial(study.Name, 1));
        var creator = Guid.NewGuid();
        var trial = new Trial { StudyName = study.Name, Id = 1, State = TrialState.Requested, CreateTime = DateTimeOffset.UtcNow };

        var first = await grain.CreateAsync(trial, creator);
        Assert.Equal(first, await grain.CreateAsync(trial, creator));
        var refused = await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => grain.CreateAsync(trial, Guid.NewGuid()));
        Assert.Contains("another activation", refused.Message);
        Assert.Equal(first, await grain.GetAsync());
    }

    [Fact]
    public async Task A_stale_activation_does_not_hand_a_worker_back_a_trial_another_activation_gave_to_someone_else()
    {
        var study = await fixture.Client.CreateOrLoadStudyAsync("fencing", TestConfigs.UniqueId(), TestConfigs.TwoFloats() with { TrialLease = TimeSpan.FromMinutes(10) });
        var mine = Assert.Single(await study.SuggestAsync(1, "w1"));
        Assert.Equal(1, mine.Id);

        // Another activation released w1's lease and handed the trial to w2. It wrote storage directly, as a live
        // activation on another silo does: this study activation's index and the trial grain here still say w1.
        await WriteAsAnotherSiloAsync(ResourceNames.Trial(study.Name, 1), t => t with
        {
            ClientId = "w2",
            Version = t.Version + 2,
            Metadata = t.Metadata.With(TrialGrain.ReleasedNamespace, "released_from", "w1"),
        });

        // w1 asks again (as after a lost answer): it gets a new trial, never the one w2 now holds.
        var given = Assert.Single(await study.SuggestAsync(1, "w1"));
        Assert.Equal(2, given.Id);
        Assert.Equal("w1", given.Snapshot.ClientId);
        var stored = await study.Trial(1).MaterializeAsync();
        Assert.Equal(TrialState.Active, stored.State);
        Assert.Equal("w2", stored.ClientId);
        Assert.Equal([2L], (await study.ListTrialsAsync()).Where(t => t.ClientId == "w1").Select(t => t.Id));
    }

    // Changes a trial's stored record behind its grain's back; the grain keeps its copy (and ETag), as a zombie does.
    private async Task WriteAsAnotherSiloAsync(string trialName, Func<Trial, Trial> change)
    {
        var services = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Vizier);
        var grainId = GrainId.Create("trial", trialName);
        var state = new GrainState<TrialRecord>(new TrialRecord());
        await storage.ReadStateAsync("trial", grainId, state);
        state.State!.Trial = change(state.State.Trial!);
        await storage.WriteStateAsync("trial", grainId, state);
    }
}
