namespace MLOps.Pipelines.Tests.Fingerprints;

/// <summary>
/// A build class shaped like the runner's (Nuke-style Target properties) with one target per fingerprint
/// concern, and variants made by replacing marked lines.
/// </summary>
internal static class SampleBuildSource
{
    public const string Original = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        namespace Sample
        {
            public delegate ITargetDefinition Target(ITargetDefinition _);

            public interface ITargetDefinition
            {
                ITargetDefinition DependsOn(params Target[] targets);
                ITargetDefinition Executes(Action action);
                ITargetDefinition Executes(Func<Task> action);
            }

            [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
            public sealed class ParameterAttribute : Attribute
            {
                public ParameterAttribute(string description = "") { Description = description; }
                public string Description { get; }
            }

            //@earlier-type
            public abstract class Model
            {
                public abstract double Score(double x);
            }

            public sealed class Linear : Model
            {
                public override double Score(double x) => x * 2.0; //@score
            }

            public interface IReport { string Render(); }

            public sealed class TextReport : IReport
            {
                public string Render() => "text"; //@render
            }

            public record Metrics(double Auc, string Name)
            {
                public override string ToString() => "auc=" + Auc; //@record
            }

            public static class Helpers
            {
                public static string Describe(int rows) => "rows: " + rows; //@describe

                public static T Larger<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b; //@larger

                public static int ParseOrDefault(string text)
                {
                    try { return int.Parse(text); }
                    catch (FormatException) { return -1; } //@catch
                }

                public static Model CreateModel() => (Model)Activator.CreateInstance(typeof(Linear));

                public static IReport CreateReport() => (IReport)Activator.CreateInstance(typeof(TextReport));
            }

            public static class Tables
            {
                public static readonly double[] Weights = { 0.5, 0.25, 0.125, 0.0625, 1, 2, 3, 4 }; //@weights
            }

            public interface IScorer { double Score(); }

            public readonly struct ConstantScorer : IScorer
            {
                public double Score() => 0.75; //@constrained
            }

            public static class Scoring
            {
                public static double Run<T>(T scorer) where T : IScorer => scorer.Score();
            }

            public interface IFactory<TSelf> where TSelf : IFactory<TSelf>
            {
                static abstract TSelf Create();
            }

            public sealed class Widget : IFactory<Widget>
            {
                public static Widget Create() => new Widget();
                public override string ToString() => "widget"; //@static-abstract
            }

            public static class Factories
            {
                public static T Make<T>() where T : IFactory<T> => T.Create();
            }

            public sealed class Stage<T>
            {
                private readonly List<T> items = new List<T>();

                public Stage<T> Add(T item) { items.Add(item); return this; }

                public IEnumerable<string> Render(Func<T, string> format)
                {
                    foreach (var item in items)
                        yield return "[" + format(item) + "]"; //@iterator
                }

                public static List<string> Prefixed(IEnumerable<T> values, string prefix) =>
                    values.Select(value => prefix + value).ToList(); //@generic-closure
            }

            public static class Switches
            {
                public static int Code(string name) => name switch
                {
                    "a" => 1, "b" => 2, "c" => 3, "d" => 4, "e" => 5, "f" => 6, "g" => 7, //@switch
                    _ => 0,
                };
            }

            public static unsafe class Pointers
            {
                static int Twice(int x) => x * 2; //@fnptr

                public static int Apply(int x)
                {
                    delegate*<int, int> f = &Twice;
                    return f(x);
                }
            }

            public class Build
            {
                //@earlier-member
                [Parameter("Boosting rounds")] readonly int Trees = 200;

                [Parameter] int Leaves { get; } = 31;

                public Target Prepare => _ => _.Executes(() => Console.WriteLine("prepare")); //@prepare

                public Target A => _ => _.DependsOn(Prepare).Executes(() => Console.WriteLine(Helpers.Describe(Trees)));

                public Target B => _ => _.Executes(() => Console.WriteLine("b " + Leaves));

                public Target Captured
                {
                    get
                    {
                        var label = Helpers.Describe(1); //@getter
                        return _ => _.Executes(() => Console.WriteLine(label));
                    }
                }

                public Target Async => _ => _.Executes(async () =>
                {
                    await Task.Delay(1);
                    Console.WriteLine("async one"); //@async
                });

                public Target Virtual => _ => _.Executes(() => Console.WriteLine(Helpers.CreateModel().Score(3)));

                public Target Interface => _ => _.Executes(() => Console.WriteLine(Helpers.CreateReport().Render()));

                public Target Generic => _ => _.Executes(() => Console.WriteLine(Helpers.Larger(Trees, 10)));

                public Target Record => _ => _.Executes(() => Console.WriteLine(new Metrics(0.5, "m")));

                public Target Parse => _ => _.Executes(() => Console.WriteLine(Helpers.ParseOrDefault("12")));

                public Target Bcl => _ => _.Executes(() => Console.WriteLine("bcl")); //@bcl

                public Target Table => _ => _.Executes(() => Console.WriteLine(Tables.Weights[1]));

                public Target Constrained => _ => _.Executes(() => Console.WriteLine(Scoring.Run(Activator.CreateInstance<ConstantScorer>())));

                public Target StaticAbstract => _ => _.Executes(() => Console.WriteLine(Factories.Make<Widget>()));

                public Target Iterate => _ => _.Executes(() =>
                {
                    foreach (var line in new Stage<int>().Add(1).Render(i => i.ToString()))
                        Console.WriteLine(line);
                    Console.WriteLine(Stage<int>.Prefixed(new[] { 1, 2 }, "#").Count);
                });

                public Target Switch => _ => _.Executes(() => Console.WriteLine(Switches.Code("c")));

                public Target Pointer => _ => _.Executes(() => Console.WriteLine(Pointers.Apply(3)));

                public Target Locals => _ => _.Executes(() =>
                {
                    object value = "local"; //@local
                    for (var i = 0; i < 2; i++)
                        Console.WriteLine(value);
                });
            }

            public sealed class Recorder : ITargetDefinition
            {
                public readonly List<Delegate> Actions = new List<Delegate>();
                public ITargetDefinition DependsOn(params Target[] targets) => this;
                public ITargetDefinition Executes(Action action) { Actions.Add(action); return this; }
                public ITargetDefinition Executes(Func<Task> action) { Actions.Add(action); return this; }
            }
        }
        """;

    /// <summary>The original with each marked line's text replaced; every replaced text must occur exactly once.</summary>
    public static string Variant(params (string From, string To)[] edits)
    {
        var source = Original;
        foreach (var (from, to) in edits)
        {
            var first = source.IndexOf(from, StringComparison.Ordinal);
            if (first < 0 || source.IndexOf(from, first + 1, StringComparison.Ordinal) >= 0)
                throw new ArgumentException($"'{from}' must occur exactly once in the sample build.", nameof(edits));
            source = source.Replace(from, to, StringComparison.Ordinal);
        }

        return source;
    }
}
