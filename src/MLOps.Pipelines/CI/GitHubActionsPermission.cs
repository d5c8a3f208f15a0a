namespace MLOps.Pipelines.CI;

/// <summary>Scopes of the workflow's GITHUB_TOKEN (the <c>permissions:</c> keys).</summary>
public enum GitHubActionsPermission
{
    Actions,
    Attestations,
    Checks,
    Contents,
    Deployments,
    Discussions,
    IdToken,
    Issues,
    Packages,
    Pages,
    PullRequests,
    RepositoryProjects,
    SecurityEvents,
    Statuses,
}
