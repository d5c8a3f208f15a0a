using System.Reflection;
using static MLOps.Pipelines.Tests.Fingerprints.SampleBuildSource;

namespace MLOps.Pipelines.Tests.Fingerprints;

public class CodeFingerprinterTests
{
    [Fact]
    public void Whitespace_and_comment_edits_change_no_target()
    {
        var edited = Variant(
            ("public class Build\n    {", "public class Build\n    {\n        // Targets of the sample.\n\n"),
            ("x * 2.0; //@score", "x   *   2.0;   /* scaled */"),
            ("Console.WriteLine(\"async one\"); //@async", "Console.WriteLine(\"async one\");\n\n"));

        AllTargetHashes(Original).ShouldBe(AllTargetHashes(edited));
    }

    [Fact]
    public void Unrelated_targets_members_and_types_added_earlier_change_no_target()
    {
        // Shifts lambda, closure, state machine and cache-field ordinals as well as every later metadata token.
        var edited = Variant(
            ("//@earlier-type", """
                public class Earlier
                {
                    public override string ToString() => "earlier";
                }
                """),
            ("//@earlier-member", """
                public Target Other => _ => _.Executes(() => Console.WriteLine("other"));
                int unrelated = 5;
                public Target OtherAsync => _ => _.Executes(async () => { await Task.Yield(); Console.WriteLine(unrelated); });
                void Unrelated()
                {
                    Func<int, int> f = x => x + unrelated;
                    var list = new List<int>();
                    list.ForEach(i => Console.WriteLine(i + f(i)));
                }
                """));

        var before = AllTargetHashes(Original);
        var after = AllTargetHashes(edited);

        after.Count.ShouldBe(before.Count + 2);
        foreach (var (target, hash) in before)
            after[target].ShouldBe(hash, $"target {target}");
    }

    [Fact]
    public void A_string_literal_in_the_delegate_changes_the_target()
    {
        Changes("Bcl", ("Console.WriteLine(\"bcl\")); //@bcl", "Console.WriteLine(\"BCL\"));")).ShouldBeTrue();
    }

    [Fact]
    public void A_helper_edit_changes_exactly_the_targets_that_call_it()
    {
        var edited = Variant(("\"rows: \" + rows; //@describe", "\"row count: \" + rows;"));
        var before = AllTargetHashes(Original);
        var after = AllTargetHashes(edited);

        var changed = before.Keys.Where(target => before[target] != after[target]).Order(StringComparer.Ordinal);
        changed.ShouldBe(["A", "Captured"]); // Captured computes its label with the helper in its getter
    }

    [Fact]
    public void A_value_computed_in_the_getter_and_captured_is_covered()
    {
        Changes("Captured", ("Helpers.Describe(1); //@getter", "Helpers.Describe(2);")).ShouldBeTrue();
    }

    [Fact]
    public void An_async_Executes_body_is_reached_through_its_state_machine()
    {
        Changes("Async", ("Console.WriteLine(\"async one\"); //@async", "Console.WriteLine(\"async two\");")).ShouldBeTrue();

        using var build = new CompiledBuild(Original);
        build.Fingerprint("Async").MethodsReached.ShouldContain(name => name.Contains("::MoveNext()"));
    }

    [Fact]
    public void An_own_override_reached_only_by_a_virtual_call_is_covered()
    {
        // Linear is never constructed in the walk (Activator), so only the virtual-call expansion finds Score.
        Changes("Virtual", ("x * 2.0; //@score", "x * 3.0;")).ShouldBeTrue();

        using var build = new CompiledBuild(Original);
        build.Fingerprint("Virtual").MethodsReached.ShouldContain("Sample.Linear::Score(System.Double):System.Double");
    }

    [Fact]
    public void An_own_interface_implementation_reached_by_an_interface_call_is_covered()
    {
        Changes("Interface", ("\"text\"; //@render", "\"html\";")).ShouldBeTrue();
    }

    [Fact]
    public void A_type_created_in_the_walk_brings_its_virtual_methods()
    {
        // Console.WriteLine(object) calls ToString inside the BCL; the record's override is found because
        // the walk creates a Metrics.
        Changes("Record", ("\"auc=\" + Auc; //@record", "\"AUC \" + Auc;")).ShouldBeTrue();
    }

    [Fact]
    public void A_generic_own_helper_is_walked_through_its_open_definition()
    {
        Changes("Generic", ("a.CompareTo(b) >= 0 ? a : b; //@larger", "a.CompareTo(b) > 0 ? a : b;")).ShouldBeTrue();

        using var build = new CompiledBuild(Original);
        build.Fingerprint("Generic").MethodsReached.ShouldContain(name => name.Contains("Sample.Helpers::Larger``1("));
    }

    [Fact]
    public void A_static_readonly_table_is_covered_through_its_type_initializer()
    {
        Changes("Table", ("0.0625, 1, 2, 3, 4 }; //@weights", "0.0625, 1, 2, 3, 5 };")).ShouldBeTrue();
    }

    [Fact]
    public void A_constrained_interface_call_reaches_the_own_struct_implementation()
    {
        // The struct is never constructed in IL the walk sees (Activator), so only the constrained call finds it.
        Changes("Constrained", ("0.75; //@constrained", "0.5;")).ShouldBeTrue();
    }

    [Fact]
    public void A_static_abstract_interface_call_reaches_the_own_implementation()
    {
        using var build = new CompiledBuild(Original);
        build.Fingerprint("StaticAbstract").MethodsReached.ShouldContain("static Sample.Widget::Create():Sample.Widget");

        Changes("StaticAbstract", ("\"widget\"; //@static-abstract", "\"gadget\";")).ShouldBeTrue();
    }

    [Fact]
    public void An_iterator_in_a_generic_own_class_is_covered()
    {
        Changes("Iterate", ("\"[\" + format(item) + \"]\"; //@iterator", "\"(\" + format(item) + \")\";")).ShouldBeTrue();
    }

    [Fact]
    public void A_closure_in_a_generic_own_method_is_covered()
    {
        Changes("Iterate", ("prefix + value).ToList(); //@generic-closure", "value + prefix).ToList();")).ShouldBeTrue();
    }

    [Fact]
    public void A_string_switch_case_change_is_covered()
    {
        Changes("Switch", ("\"g\" => 7, //@switch", "\"g\" => 8,")).ShouldBeTrue();
    }

    [Fact]
    public void A_function_pointer_target_is_walked_and_its_call_site_signature_named()
    {
        using var build = new CompiledBuild(Original);
        build.Fingerprint("Pointer").MethodsReached.ShouldContain("static Sample.Pointers::Twice(System.Int32):System.Int32");

        Changes("Pointer", ("x * 2; //@fnptr", "x * 3;")).ShouldBeTrue();
    }

    [Fact]
    public void Bcl_methods_are_named_but_not_walked()
    {
        using var build = new CompiledBuild(Original);
        var reached = build.Fingerprint("Bcl").MethodsReached;
        reached.ShouldNotContain(name => name.Contains("System.Console"));
        reached.ShouldAllBe(name => name.Contains("Sample."));

        Changes("Bcl", ("Console.WriteLine(\"bcl\")); //@bcl", "Console.Write(\"bcl\"));")).ShouldBeTrue();
    }

    [Fact]
    public void A_parameter_field_read_is_reported()
    {
        using var build = new CompiledBuild(Original);
        var fields = build.Fingerprint("A").FieldsRead;
        fields.ShouldContain(build.BuildField("Trees"));
        fields.ShouldNotContain(build.BuildField("<Leaves>k__BackingField"));
    }

    [Fact]
    public void An_auto_property_parameter_is_reported_as_its_backing_field()
    {
        using var build = new CompiledBuild(Original);
        var fingerprint = build.Fingerprint("B");
        fingerprint.FieldsRead.ShouldContain(build.BuildField("<Leaves>k__BackingField"));
        fingerprint.FieldsRead.ShouldNotContain(build.BuildField("Trees"));
        fingerprint.MethodsReached.ShouldContain("Sample.Build::get_Leaves():System.Int32");
    }

    [Fact]
    public void A_catch_clause_change_alone_changes_the_target()
    {
        var edited = Variant(("catch (FormatException) { return -1; } //@catch", "catch (OverflowException) { return -1; }"));
        using var before = new CompiledBuild(Original);
        using var after = new CompiledBuild(edited);
        HelperIl(before, "ParseOrDefault").ShouldBe(HelperIl(after, "ParseOrDefault"), "only the clause may differ");

        after.Fingerprint("Parse").Hash.ShouldNotBe(before.Fingerprint("Parse").Hash);
    }

    [Fact]
    public void A_local_variable_type_change_alone_changes_the_target()
    {
        var edited = Variant(("object value = \"local\"; //@local", "IComparable value = \"local\";"));
        using var before = new CompiledBuild(Original);
        using var after = new CompiledBuild(edited);
        before.ExecutesIl("Locals").ShouldBe(after.ExecutesIl("Locals"), "only the local's type may differ");

        after.Fingerprint("Locals").Hash.ShouldNotBe(before.Fingerprint("Locals").Hash);
    }

    [Fact]
    public void Another_targets_getter_is_a_boundary()
    {
        using var build = new CompiledBuild(Original);
        build.Fingerprint("A").MethodsReached.ShouldNotContain(name => name.Contains("get_Prepare"));

        Changes("A", ("Console.WriteLine(\"prepare\")); //@prepare", "Console.WriteLine(\"prepared\"));")).ShouldBeFalse();
        Changes("Prepare", ("Console.WriteLine(\"prepare\")); //@prepare", "Console.WriteLine(\"prepared\"));")).ShouldBeTrue();
    }

    [Fact]
    public void The_same_code_loaded_twice_gives_the_same_fingerprints_cold_and_warm()
    {
        using var first = new CompiledBuild(Original);
        using var second = new CompiledBuild(Original);
        first.Assembly.ShouldNotBeSameAs(second.Assembly);

        foreach (var target in first.TargetNames)
        {
            var cold = first.Fingerprint(target);
            var warm = first.Fingerprint(target);
            var elsewhere = second.Fingerprint(target);
            warm.Hash.ShouldBe(cold.Hash);
            warm.MethodsReached.ShouldBe(cold.MethodsReached);
            elsewhere.Hash.ShouldBe(cold.Hash);
            elsewhere.MethodHashes.ShouldBe(cold.MethodHashes);
            cold.Hash.ShouldMatch("^[0-9a-f]{32}$");
        }
    }

    [Fact]
    public void Different_targets_have_different_fingerprints()
    {
        var hashes = AllTargetHashes(Original);
        hashes.Values.Distinct().Count().ShouldBe(hashes.Count);
    }

    private static bool Changes(string target, params (string From, string To)[] edits)
    {
        using var before = new CompiledBuild(Original);
        using var after = new CompiledBuild(Variant(edits));
        return before.Fingerprint(target).Hash != after.Fingerprint(target).Hash;
    }

    private static Dictionary<string, string> AllTargetHashes(string source)
    {
        using var build = new CompiledBuild(source);
        return build.TargetNames.ToDictionary(target => target, target => build.Fingerprint(target).Hash);
    }

    private static byte[] HelperIl(CompiledBuild build, string method) =>
        build.Type("Sample.Helpers").GetMethod(method, BindingFlags.Public | BindingFlags.Static)!
            .GetMethodBody()!.GetILAsByteArray()!;
}
