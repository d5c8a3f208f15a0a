using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;
using MLOps.Pipelines.Internal.CI.Schedules;

namespace MLOps.Pipelines.Tests.CI;

public sealed class GitLabPipelineSchedulesTests : IDisposable
{
    const string Token = "glpat-test-token-0123456789";
    const string ProjectId = "ml/flight-delays";
    readonly FakeGitLabApi _gitLab = new(Token, "ml%2Fflight-delays");

    static GitLabPipelineSchedule Nightly(string cron = "0 3 * * *") =>
        GitLabCiGenerator.Schedules([CiTestBuilds.GitLabNightly()]).Single() with { Cron = cron };

    public void Dispose()
    {
        _gitLab.Dispose();
    }

    [Fact]
    public async Task The_token_is_not_sent_to_another_origin_a_redirect_points_at()
    {
        using var elsewhere = new FakeGitLabApi(Token, "ml%2Fflight-delays");
        _gitLab.RedirectNextTo = elsewhere.BaseUrl;

        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, Token, Nightly()));

        _gitLab.Requests.ShouldHaveSingleItem().Token.ShouldBe(Token);
        var followed = elsewhere.Requests.ShouldHaveSingleItem();
        followed.RawUrl.ShouldBe("/api/v4/projects/ml%2Fflight-delays/pipeline_schedules?per_page=100&page=1");
        followed.Token.ShouldBeNull();
        error.Message.ShouldContain("GitLab answered 401");
        error.Message.ShouldNotContain(Token);
    }

    [Fact]
    public async Task A_redirect_within_the_same_origin_keeps_the_token_and_a_POST_redirected_by_307_keeps_its_body()
    {
        _gitLab.RedirectNextTo = _gitLab.BaseUrl;
        _gitLab.RedirectStatus = 307;
        var outcome = await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, Token, Nightly());
        outcome.Action.ShouldBe("created");
        _gitLab.Requests.Count.ShouldBe(4); // the redirected list, the list again, create, variable
        _gitLab.Requests.ShouldAllBe(r => r.Token == Token);
    }

    [Fact]
    public async Task A_project_path_given_already_encoded_is_not_encoded_twice()
    {
        var outcome = await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, "ml%2Fflight-delays", Token, Nightly());
        outcome.Action.ShouldBe("created");
        _gitLab.Requests.ShouldAllBe(r => r.RawUrl.StartsWith("/api/v4/projects/ml%2Fflight-delays/", StringComparison.Ordinal));
        GitLabPipelineSchedules.DescribeRequests(_gitLab.BaseUrl, "ml%2Fflight-delays", Nightly()).ShouldNotContain("%252F");
    }

    [Fact]
    public async Task A_missing_schedule_is_created_with_its_variable()
    {
        _gitLab.Schedules.Add(new FakeGitLabApi.Schedule { Id = 3, Description = "someone else's", Cron = "0 0 * * 0" });

        var outcome = await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, Token, Nightly());

        outcome.Action.ShouldBe("created");
        outcome.ScheduleId.ShouldBe(10);
        outcome.Text.ShouldBe("created GitLab pipeline schedule 10 \"nightly-retrain (MLOps.Pipelines)\" (0 3 * * * Europe/Berlin) on main\n  variable PIPELINES_SCHEDULE added");
        _gitLab.Requests.Select(r => $"{r.Method} {r.RawUrl}").ShouldBe([
            "GET /api/v4/projects/ml%2Fflight-delays/pipeline_schedules?per_page=100&page=1",
            "POST /api/v4/projects/ml%2Fflight-delays/pipeline_schedules",
            "POST /api/v4/projects/ml%2Fflight-delays/pipeline_schedules/10/variables",
        ]);
        _gitLab.Requests.ShouldAllBe(r => r.Token == Token);
        _gitLab.Requests[1].Body.ShouldBe("""{"description":"nightly-retrain (MLOps.Pipelines)","ref":"main","cron":"0 3 * * *","cron_timezone":"Europe/Berlin","active":true}""");
        _gitLab.Requests[2].Body.ShouldBe("""{"key":"PIPELINES_SCHEDULE","value":"nightly-retrain","variable_type":"env_var"}""");
        var created = _gitLab.Schedules.Single(s => s.Id == 10);
        created.Variables["PIPELINES_SCHEDULE"].ShouldBe("nightly-retrain");
    }

    [Fact]
    public async Task An_existing_schedule_with_the_same_description_is_updated_even_on_a_later_page()
    {
        _gitLab.Schedules.Add(new FakeGitLabApi.Schedule { Id = 3, Description = "someone else's", Cron = "0 0 * * 0" });
        var existing = new FakeGitLabApi.Schedule { Id = 7, Description = "nightly-retrain (MLOps.Pipelines)", Ref = "main", Cron = "0 2 * * *", CronTimezone = "UTC" };
        existing.Variables["PIPELINES_SCHEDULE"] = "old";
        _gitLab.Schedules.Add(existing);

        var outcome = await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, Token, Nightly("30 4 * * 1-5"));

        outcome.Action.ShouldBe("updated");
        outcome.ScheduleId.ShouldBe(7);
        _gitLab.Requests.Select(r => $"{r.Method} {r.RawUrl}").ShouldBe([
            "GET /api/v4/projects/ml%2Fflight-delays/pipeline_schedules?per_page=100&page=1",
            "GET /api/v4/projects/ml%2Fflight-delays/pipeline_schedules?per_page=100&page=2",
            "PUT /api/v4/projects/ml%2Fflight-delays/pipeline_schedules/7",
            "GET /api/v4/projects/ml%2Fflight-delays/pipeline_schedules/7",
            "PUT /api/v4/projects/ml%2Fflight-delays/pipeline_schedules/7/variables/PIPELINES_SCHEDULE",
        ]);
        existing.Cron.ShouldBe("30 4 * * 1-5");
        existing.CronTimezone.ShouldBe("Europe/Berlin");
        existing.Variables["PIPELINES_SCHEDULE"].ShouldBe("nightly-retrain");
        _gitLab.Schedules.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Running_twice_creates_once_then_updates()
    {
        await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, Token, Nightly());
        var second = await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, Token, Nightly());

        second.Action.ShouldBe("updated");
        _gitLab.Schedules.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_rejected_token_is_reported_with_the_status_and_a_hint()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, "wrong", Nightly()));

        error.Message.ShouldStartWith($"GitLab answered 401 Unauthorized to GET {_gitLab.BaseUrl}api/v4/projects/ml%2Fflight-delays/pipeline_schedules?per_page=100&page=1");
        error.Message.ShouldContain("Check that the token is valid.");
        error.Message.ShouldNotContain(Token);
    }

    [Fact]
    public async Task Without_a_token_the_exact_requests_are_returned_and_nothing_is_sent()
    {
        var outcome = await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, null, Nightly());

        outcome.Action.ShouldBe("printed");
        outcome.ScheduleId.ShouldBeNull();
        _gitLab.Requests.ShouldBeEmpty();
        var api = $"{_gitLab.BaseUrl}api/v4/projects/ml%2Fflight-delays/pipeline_schedules";
        outcome.Text.ShouldContain($"GET {api}?per_page=100&page=1\nPRIVATE-TOKEN: <token with the api scope>\n");
        outcome.Text.ShouldContain($"POST {api}\nPRIVATE-TOKEN: <token with the api scope>\nContent-Type: application/json\n\n"
            + """{"description":"nightly-retrain (MLOps.Pipelines)","ref":"main","cron":"0 3 * * *","cron_timezone":"Europe/Berlin","active":true}""" + "\n");
        outcome.Text.ShouldContain($"POST {api}/<schedule_id>/variables\n");
        outcome.Text.ShouldContain($"PUT {api}/<schedule_id>\n");
        outcome.Text.ShouldContain($"PUT {api}/<schedule_id>/variables/PIPELINES_SCHEDULE\n");
        outcome.Text.ShouldContain("""{"value":"nightly-retrain","variable_type":"env_var"}""");
    }

    [Fact]
    public async Task The_printed_requests_are_the_ones_sent_with_a_token()
    {
        var printed = GitLabPipelineSchedules.DescribeRequests(_gitLab.BaseUrl, ProjectId, Nightly());
        await GitLabPipelineSchedules.CreateOrUpdateAsync(_gitLab.BaseUrl, ProjectId, Token, Nightly());

        foreach (var request in _gitLab.Requests)
        {
            printed.ShouldContain($"{request.Method} {_gitLab.BaseUrl.ToString().TrimEnd('/')}{request.RawUrl.Replace("/10", "/<schedule_id>")}\n");
            printed.ShouldContain(request.Body);
        }
    }
}
