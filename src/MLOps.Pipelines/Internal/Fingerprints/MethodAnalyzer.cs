using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Text;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// Reads one method: serializes its body canonically (IL with every metadata token replaced by what it names,
/// local variable types, exception-handling clauses) and lists the own methods and fields it touches.
/// </summary>
internal sealed class MethodAnalyzer(OwnTypes own)
{
    private const BindingFlags DeclaredInstance =
        BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>A method whose body is not hashed (outside own code, abstract, runtime-provided): its name only.</summary>
    public static MethodAnalysis IdentityOnly(MethodBase method)
    {
        var identityNames = new List<string>();
        var identity = new StringBuilder();
        CanonicalNames.AppendMethod(identity, method, identityNames);
        return new MethodAnalysis(CanonicalNames.Display(method), identity.ToString(), identityNames, null, [], [], []);
    }

    public MethodAnalysis Analyze(MethodBase method)
    {
        var body = method.GetMethodBody();
        var il = body?.GetILAsByteArray();
        if (body is null || il is null)
            return IdentityOnly(method);

        var scan = new BodyScan(method, own);
        scan.StateMachine();
        scan.Header(body);
        scan.Instructions(il);

        var shell = IdentityOnly(method);
        return shell with
        {
            BodyHash = scan.Writer.Hash128(),
            BodyInventedNames = scan.Invented,
            Callees = scan.Callees,
            Fields = scan.Fields,
        };
    }

    /// <summary>The state of reading one body.</summary>
    private sealed class BodyScan(MethodBase method, OwnTypes own)
    {
        private readonly Module module = method.Module;
        private readonly Type[]? typeArguments =
            method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        private readonly Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        private readonly HashSet<MethodBase> calleeSet = new(MetadataDefinitionComparer.Instance);
        private readonly HashSet<FieldInfo> fieldSet = new(MetadataDefinitionComparer.Instance);
        private readonly StringBuilder text = new();

        public CanonicalWriter Writer { get; } = new();

        public List<string> Invented { get; } = [];

        public List<MethodBase> Callees { get; } = [];

        public List<FieldInfo> Fields { get; } = [];

        /// <summary>Async methods and iterators keep their body in the state machine's MoveNext.</summary>
        public void StateMachine()
        {
            if (method.GetCustomAttribute<StateMachineAttribute>(inherit: false)?.StateMachineType is not { } machine)
                return;
            var definition = OpenDefinitions.Of(machine);
            if (definition.GetMethod(nameof(System.Collections.IEnumerator.MoveNext), DeclaredInstance, Type.EmptyTypes) is { } moveNext)
                Callee(moveNext);
        }

        public void Header(MethodBody body)
        {
            Writer.Tag('L');
            Writer.Int32(body.InitLocals ? 1 : 0);
            Writer.Int32(body.LocalVariables.Count);
            foreach (var local in body.LocalVariables)
            {
                WriteType(local.LocalType);
                Writer.Int32(local.IsPinned ? 1 : 0);
            }

            Writer.Tag('E');
            Writer.Int32(body.ExceptionHandlingClauses.Count);
            foreach (var clause in body.ExceptionHandlingClauses)
            {
                Writer.Int32((int)clause.Flags);
                Writer.Int32(clause.TryOffset);
                Writer.Int32(clause.TryLength);
                Writer.Int32(clause.HandlerOffset);
                Writer.Int32(clause.HandlerLength);
                if (clause.Flags == ExceptionHandlingClauseOptions.Filter)
                    Writer.Int32(clause.FilterOffset);
                if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
                    WriteType(clause.CatchType!);
            }
        }

        public void Instructions(byte[] il)
        {
            Writer.Tag('I');
            Type? constrained = null;
            foreach (var instruction in IlInstructionReader.Read(il, CanonicalNames.Display(method)))
            {
                var opCode = instruction.OpCode;
                Writer.Int16(opCode.Value);
                var operand = il.AsSpan(instruction.OperandOffset, instruction.OperandLength);
                try
                {
                    Operand(opCode, operand, ref constrained);
                }
                catch (Exception exception) when (exception is ArgumentException or TypeLoadException or IOException
                                                      or MissingMemberException or BadImageFormatException)
                {
                    throw new InvalidOperationException(
                        $"The code fingerprint cannot resolve the operand of {opCode.Name} at IL offset " +
                        $"0x{instruction.Offset:X4} in {CanonicalNames.Display(method)} ({module.Name}): {exception.Message}. " +
                        "Make sure every assembly the build references can be loaded.",
                        exception);
                }

                // A prefix applies to the instruction after it; anything else ends it.
                if (opCode.OpCodeType != OpCodeType.Prefix)
                    constrained = null;
            }
        }

        private void Operand(OpCode opCode, ReadOnlySpan<byte> operand, ref Type? constrained)
        {
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod:
                    Writer.Tag('M');
                    var called = module.ResolveMethod(Token(operand), typeArguments, methodArguments)!;
                    WriteMethod(called);
                    Called(called, opCode, constrained);
                    break;
                case OperandType.InlineField:
                    Writer.Tag('F');
                    var field = module.ResolveField(Token(operand), typeArguments, methodArguments)!;
                    WriteField(field);
                    Touched(field);
                    break;
                case OperandType.InlineType:
                    Writer.Tag('T');
                    var type = module.ResolveType(Token(operand), typeArguments, methodArguments);
                    WriteType(type);
                    if (opCode == OpCodes.Constrained)
                        constrained = type;
                    else if (opCode == OpCodes.Box || opCode == OpCodes.Initobj)
                        Created(type);
                    break;
                case OperandType.InlineTok:
                    Token(module.ResolveMember(Token(operand), typeArguments, methodArguments)!);
                    break;
                case OperandType.InlineString:
                    Writer.Tag('S');
                    Writer.Text(module.ResolveString(Token(operand)));
                    break;
                case OperandType.InlineSig:
                    Writer.Tag('G');
                    text.Clear();
                    CallSiteSignatureText.Append(text, module.ResolveSignature(Token(operand)), module, typeArguments, methodArguments, Invented);
                    Writer.Text(text.ToString());
                    break;
                default:
                    // Branch offsets, locals, constants: token-free, so their bytes are already canonical.
                    Writer.Bytes(operand);
                    break;
            }
        }

        private void Token(MemberInfo member)
        {
            switch (member)
            {
                case Type type:
                    Writer.Tag('t');
                    WriteType(type);
                    break;
                case FieldInfo field:
                    // ldtoken of a field: array initializer data, named by its content hash in <PrivateImplementationDetails>.
                    Writer.Tag('f');
                    WriteField(field);
                    break;
                case MethodBase tokenMethod:
                    // ldtoken of a method: expression trees call it once compiled.
                    Writer.Tag('m');
                    WriteMethod(tokenMethod);
                    Called(tokenMethod, OpCodes.Ldtoken, constrained: null);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected ldtoken operand {member.GetType().Name} in {CanonicalNames.Display(method)}.");
            }
        }

        private void Called(MethodBase called, OpCode opCode, Type? constrained)
        {
            if (own.Contains(called))
            {
                var definition = OpenDefinitions.Of(called);
                Callee(definition);
                if (definition.IsVirtual && opCode != OpCodes.Ldtoken)
                {
                    foreach (var implementation in own.ImplementationsOf(definition))
                        Callee(implementation);
                }

                // newobj, or `call .ctor` on a struct's address: an instance exists from here on.
                if (definition is ConstructorInfo { IsStatic: false } && opCode != OpCodes.Ldtoken
                    && definition.DeclaringType is { } created)
                    Created(created);
            }

            if (constrained is not null && own.ImplementationOn(constrained, called) is { } target)
                Callee(target);
        }

        private void Created(Type type)
        {
            if (type.IsGenericParameter || type.HasElementType || !own.Contains(type))
                return;
            foreach (var virtualMethod in own.VirtualMethodsOf(type))
                Callee(virtualMethod);
        }

        private void Touched(FieldInfo field)
        {
            var definition = OpenDefinitions.Of(field);
            if (fieldSet.Add(definition))
                Fields.Add(definition);

            // A static field's value comes from its type initializer (static readonly tables, for instance).
            if (definition.IsStatic && definition.DeclaringType is { } declaring && own.Contains(declaring)
                && declaring.TypeInitializer is { } initializer)
                Callee(initializer);
        }

        private void Callee(MethodBase callee)
        {
            if (calleeSet.Add(callee))
                Callees.Add(callee);
        }

        private void WriteType(Type type)
        {
            text.Clear();
            CanonicalNames.AppendType(text, type, Invented);
            Writer.Text(text.ToString());
        }

        private void WriteMethod(MethodBase called)
        {
            text.Clear();
            CanonicalNames.AppendMethod(text, called, Invented);
            Writer.Text(text.ToString());
        }

        private void WriteField(FieldInfo field)
        {
            text.Clear();
            CanonicalNames.AppendField(text, field, Invented);
            Writer.Text(text.ToString());
        }

        private static int Token(ReadOnlySpan<byte> operand) => BinaryPrimitives.ReadInt32LittleEndian(operand);
    }
}
