using MLOps.Pipelines.ML.Retraining;

namespace MLOps.Pipelines.ML.Tests.Retraining;

public class RetrainPolicyTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
    static readonly RetrainPolicy Policy = RetrainPolicy.Default;

    static RetrainSignals Signals(DriftVerdict? drift = null, PerformanceSignal? performance = null, bool scheduled = false, double trainedHoursAgo = 3) =>
        new(drift, performance, scheduled, Now.AddHours(-trainedHoursAgo), Now);

    [Fact]
    public void A_drifted_batch_triggers_retraining_and_says_so()
    {
        var decision = Policy.Decide(Signals(DriftVerdict.Parse("drift: detected (5 of 8 features)")));
        decision.Retrain.ShouldBeTrue();
        decision.Summary.ShouldBe("retrain: drift: detected (5 of 8 features)");
    }

    [Fact]
    public void A_batch_without_drift_does_not()
    {
        var decision = Policy.Decide(Signals(DriftVerdict.Parse("drift: none (1 of 8 features)")));
        decision.Retrain.ShouldBeFalse();
        decision.Summary.ShouldBe("no retrain: drift: none (1 of 8 features)");
    }

    [Fact]
    public void The_nightly_schedule_triggers_unless_a_model_was_trained_within_the_interval()
    {
        var nightly = Policy.Decide(Signals(DriftVerdict.Parse("drift: none (0 of 8 features)"), scheduled: true, trainedHoursAgo: 24));
        nightly.Retrain.ShouldBeTrue();
        nightly.Reasons.ShouldBe(["nightly schedule (last training 24 h ago)"]);

        var recent = Policy.Decide(Signals(scheduled: true, trainedHoursAgo: 3));
        recent.Retrain.ShouldBeFalse();
        recent.Summary.ShouldContain("the last training is only 3 h ago (minimum interval 20 h)");

        Policy.Decide(Signals(scheduled: true, trainedHoursAgo: 3)).Retrain.ShouldBeFalse();
        (Policy with { OnSchedule = false }).Decide(Signals(scheduled: true, trainedHoursAgo: 72)).Retrain.ShouldBeFalse();
    }

    [Fact]
    public void A_performance_drop_beyond_the_tolerance_triggers_and_one_within_it_does_not()
    {
        var drop = Policy.Decide(Signals(performance: new PerformanceSignal("auc", Registered: 0.85, Observed: 0.80, Tolerance: 0.02)));
        drop.Retrain.ShouldBeTrue();
        drop.Summary.ShouldBe("retrain: performance alarm: auc 0.8 vs registered 0.85: down 0.05 (tolerance 0.02)");

        Policy.Decide(Signals(performance: new PerformanceSignal("auc", 0.85, 0.84, 0.02))).Retrain.ShouldBeFalse();
        // A loss going up is a drop in quality.
        Policy.Decide(Signals(performance: new PerformanceSignal("log_loss", 0.40, 0.45, 0.02, HigherIsBetter: false))).Retrain.ShouldBeTrue();
        Policy.Decide(Signals(performance: new PerformanceSignal("log_loss", 0.40, 0.35, 0.02, HigherIsBetter: false))).Retrain.ShouldBeFalse();
    }

    [Fact]
    public void Every_signal_that_fired_is_a_reason_and_switched_off_signals_do_not_fire()
    {
        var both = Policy.Decide(Signals(DriftVerdict.Parse("drift: detected (4 of 4 features)"), new PerformanceSignal("auc", 0.9, 0.7, 0.01), scheduled: true, trainedHoursAgo: 30));
        both.Reasons.Count.ShouldBe(3);
        (Policy with { OnDrift = false }).Decide(Signals(DriftVerdict.Parse("drift: detected (4 of 4 features)"))).Retrain.ShouldBeFalse();
    }

    [Fact]
    public void No_registered_model_or_one_past_the_maximum_age_triggers()
    {
        Policy.Decide(new RetrainSignals(null, null, false, null, Now)).Summary.ShouldBe("retrain: no model is registered yet");
        var old = (Policy with { MaximumModelAge = TimeSpan.FromDays(7) }).Decide(Signals(trainedHoursAgo: 24 * 8));
        old.Summary.ShouldBe("retrain: the newest model is 8 days old, over the maximum age 7 days");
        Policy.Decide(Signals()).Summary.ShouldBe("no retrain: no signal: no drift verdict, no labelled batch, not a scheduled run");
    }

    [Fact]
    public void Verdict_lines_round_trip_and_a_wrong_line_names_the_expected_form()
    {
        DriftVerdict.Parse("  drift: detected (3 of 5 features)").ShouldBe(new DriftVerdict(true, 3, 5));
        new DriftVerdict(false, 0, 7).ToString().ShouldBe("drift: none (0 of 7 features)");
        Should.Throw<FormatException>(() => DriftVerdict.Parse("drift: maybe")).Message.ShouldContain("expected 'drift: detected (k of n features)'");
        Should.Throw<FormatException>(() => DriftVerdict.Parse("drift: detected (6 of 5 features)"));
    }

    [Fact]
    public void The_schedule_trigger_reads_both_platforms_variables()
    {
        ScheduleTrigger.IsScheduledRun(n => n == "GITHUB_EVENT_NAME" ? "schedule" : null).ShouldBeTrue();
        ScheduleTrigger.IsScheduledRun(n => n == "CI_PIPELINE_SOURCE" ? "schedule" : null).ShouldBeTrue();
        ScheduleTrigger.IsScheduledRun(n => n == "GITHUB_EVENT_NAME" ? "push" : null).ShouldBeFalse();
    }
}
