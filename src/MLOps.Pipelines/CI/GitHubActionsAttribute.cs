namespace MLOps.Pipelines.CI;

/// <summary>Generates <c>.github/workflows/&lt;name&gt;.yml</c> from the build (one workflow per attribute).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class GitHubActionsAttribute(string name) : CiAttribute
{
    public string Name { get; } = name;

    /// <summary>The runner label (<c>runs-on</c>).</summary>
    public string RunsOn { get; set; } = "ubuntu-latest";

    public string[] OnPushBranchesIgnore { get; set; } = [];
    public string[] OnPushTagsIgnore { get; set; } = [];
    public string[] OnPushPathsIgnore { get; set; } = [];
    public string[] OnPullRequestBranchesIgnore { get; set; } = [];
    public string[] OnPullRequestPathsIgnore { get; set; } = [];

    /// <summary>GITHUB_TOKEN scopes granted read access. With no permissions set, the workflow gets <c>contents: read</c>.</summary>
    public GitHubActionsPermission[] ReadPermissions { get; set; } = [];

    /// <summary>GITHUB_TOKEN scopes granted write access.</summary>
    public GitHubActionsPermission[] WritePermissions { get; set; } = [];
}
