namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// The real CustomerChurn pipeline under the faults a user meets: a deleted registry, bad gate values, a missing raw
/// file. (Kills and concurrent builds: <see cref="KillAndConcurrencyTests"/>.)
/// </summary>
[Collection(ChurnRepository.Collection)]
public sealed class ReliabilityTests(ChurnRepository seeded)
{
    static readonly string[] Churn = ChurnRepository.Churn;

    static string Of(string family) => ChurnRepository.Of(family);

    [Fact]
    public async Task With_registry_json_deleted_Register_runs_again_and_Report_succeeds()
    {
        var copy = seeded.Copy();
        string root = copy.Path;
        try
        {
            var receiptBefore = ChurnRepository.ReceiptVersion(root);
            File.Delete(ChurnRepository.Registry(root));

            var (exit, output) = await BuildProgram.RunAsync(root, [Of("Report"), .. Churn]);

            exit.ShouldBe(0, output);
            var outcomes = BuildProgram.Outcomes(output);
            outcomes[Of("Train")].ShouldBe("UpToDate", output);
            outcomes[Of("Register")].ShouldBe("Succeeded", output); // not UpToDate: its effect was gone
            outcomes[Of("Report")].ShouldBeOneOf("Succeeded", "UpToDate");
            output.ShouldContain("Register@CustomerChurn: up to date, but models/customer-churn/registry.json holds the receipt's version and model digest does not hold; running it");
            var receipt = ChurnRepository.ReceiptVersion(root);
            receipt.Sha256.ShouldBe(receiptBefore.Sha256);
            ChurnRepository.RegisteredVersions(root).ShouldContain(receipt);

            // Now present again: the next build leaves Register up to date.
            (exit, output) = await BuildProgram.RunAsync(root, [Of("Report"), .. Churn]);
            exit.ShouldBe(0, output);
            BuildProgram.Outcomes(output)[Of("Register")].ShouldBe("UpToDate", output);
        }
        finally
        {
            copy.Dispose();
        }
    }

    [Theory]
    [InlineData("--champion-tolerance -0.01", "Parameter 'ChampionTolerance' from the command line (--champion-tolerance): '-0.01' is out of range; expected a number in [0, 1].")]
    [InlineData("--champion-tolerance NaN", "Parameter 'ChampionTolerance' from the command line (--champion-tolerance): 'NaN' is not a finite number")]
    [InlineData("--max-rejected-fraction NaN", "Parameter 'MaxRejectedFraction' from the command line (--max-rejected-fraction): 'NaN' is not a finite number")]
    [InlineData("--seed -1", "Parameter 'Seed' from the command line (--seed): '-1' is out of range; expected a number ≥ 0.")]
    [InlineData("--gate-threshold NaN", "Parameter 'GateThreshold' from the command line (--gate-threshold): 'NaN' is not a finite number")]
    [InlineData("--promotion-margin Infinity", "Parameter 'PromotionMargin' from the command line (--promotion-margin): 'Infinity' is not a finite number")]
    [InlineData("--train-fraction 1", "Parameter 'TrainFraction' from the command line (--train-fraction): '1' is out of range; expected a number in (0, 1).")]
    [InlineData("--trees 0", "Parameter 'Trees' from the command line (--trees): '0' is out of range; expected a number ≥ 1.")]
    [InlineData("--leaves 1", "Parameter 'Leaves' from the command line (--leaves): '1' is out of range; expected a number ≥ 2.")]
    [InlineData("--learning-rate 0", "Parameter 'LearningRate' from the command line (--learning-rate): '0' is out of range; expected a number > 0.")]
    [InlineData("--raw-data data/missing.csv", "Parameter 'RawData' from the command line (--raw-data): 'data/missing.csv' does not exist.")]
    [InlineData("--profile ../x", "--profile ../x: a profile is a name such as ci or gpu-large")]
    public async Task A_bad_bounding_value_exits_2_with_one_line_naming_parameter_value_and_range(string arguments, string message)
    {
        var repository = BuildProgram.NewRepository("mlops-params-");
        string root = repository.Path;
        try
        {
            var (exit, output) = await BuildProgram.RunAsync(root, [Of("Evaluate"), .. arguments.Split(' ')]);
            exit.ShouldBe(2, output);
            output.Trim().ShouldStartWith("error: " + message);
            output.Trim().Split('\n').Length.ShouldBe(1, output);
            Directory.Exists(Path.Combine(root, "artifacts")).ShouldBeFalse();
        }
        finally
        {
            repository.Dispose();
        }
    }
}
