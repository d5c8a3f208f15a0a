using System.Reflection;
using System.Text;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// Spells a stand-alone method signature (the operand of <c>calli</c>) with its type tokens replaced by the
/// types they name, following ECMA-335 II.23.2. The blob is walked by hand because System.Reflection.Metadata
/// only reads blobs from unmanaged memory.
/// </summary>
internal sealed class CallSiteSignatureText
{
    private const byte Generic = 0x10;

    private readonly byte[] blob;
    private readonly Module module;
    private readonly Type[]? typeArguments;
    private readonly Type[]? methodArguments;
    private readonly StringBuilder text;
    private readonly List<string> invented;
    private int position;

    private CallSiteSignatureText(
        byte[] blob, Module module, Type[]? typeArguments, Type[]? methodArguments, StringBuilder text, List<string> invented)
    {
        this.blob = blob;
        this.module = module;
        this.typeArguments = typeArguments;
        this.methodArguments = methodArguments;
        this.text = text;
        this.invented = invented;
    }

    public static void Append(
        StringBuilder text, byte[] blob, Module module, Type[]? typeArguments, Type[]? methodArguments, List<string> invented)
    {
        var reader = new CallSiteSignatureText(blob, module, typeArguments, methodArguments, text, invented);
        reader.MethodSignature();
        if (reader.position != blob.Length)
            throw new InvalidOperationException($"Unexpected bytes after a call-site signature in {module.Name}.");
    }

    private void MethodSignature()
    {
        var callingConvention = Byte();
        text.Append("sig").Append(callingConvention.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        if ((callingConvention & Generic) != 0)
            text.Append('`').Append(Compressed());
        var count = Compressed();
        text.Append('(');
        TypeSignature(); // return type
        for (var i = 0; i < count; i++)
        {
            text.Append(',');
            if (Peek() == 0x41)
            {
                Byte();
                text.Append("...,");
            }

            TypeSignature();
        }

        text.Append(')');
    }

    private void TypeSignature()
    {
        var element = Byte();
        switch (element)
        {
            case 0x0F or 0x10 or 0x1D or 0x45: // ptr, byref, szarray, pinned
                text.Append('e').Append(element).Append(' ');
                TypeSignature();
                break;
            case 0x11 or 0x12: // valuetype, class
                TypeToken();
                break;
            case 0x13 or 0x1E: // var, mvar
                text.Append(element == 0x13 ? "!" : "!!").Append(Compressed());
                break;
            case 0x14: // array: type rank numSizes sizes numLoBounds loBounds
                TypeSignature();
                text.Append('[');
                text.Append(Compressed()).Append(';');
                for (int i = 0, n = Compressed(); i < n; i++)
                    text.Append(Compressed()).Append(';');
                for (int i = 0, n = Compressed(); i < n; i++)
                    text.Append(Compressed()).Append(';');
                text.Append(']');
                break;
            case 0x15: // genericinst (class|valuetype) token count types
                Byte();
                TypeToken();
                text.Append('<');
                for (int i = 0, n = Compressed(); i < n; i++)
                {
                    if (i > 0)
                        text.Append(',');
                    TypeSignature();
                }

                text.Append('>');
                break;
            case 0x1B: // fnptr
                MethodSignature();
                break;
            case 0x1F or 0x20: // modreq, modopt
                text.Append(element == 0x1F ? "modreq(" : "modopt(");
                TypeToken();
                text.Append(')');
                TypeSignature();
                break;
            default: // primitive element types
                text.Append('e').Append(element);
                break;
        }
    }

    private void TypeToken()
    {
        var coded = Compressed();
        var table = (coded & 0x3) switch
        {
            0 => 0x02, // TypeDef
            1 => 0x01, // TypeRef
            _ => 0x1B, // TypeSpec
        };
        var token = (table << 24) | (coded >> 2);
        CanonicalNames.AppendType(text, module.ResolveType(token, typeArguments, methodArguments), invented);
    }

    private byte Peek() => position < blob.Length ? blob[position] : throw Truncated();

    private byte Byte() => position < blob.Length ? blob[position++] : throw Truncated();

    private int Compressed()
    {
        var first = Byte();
        if ((first & 0x80) == 0)
            return first;
        if ((first & 0xC0) == 0x80)
            return ((first & 0x3F) << 8) | Byte();
        return ((first & 0x1F) << 24) | (Byte() << 16) | (Byte() << 8) | Byte();
    }

    private InvalidOperationException Truncated() =>
        new($"Truncated call-site signature in {module.Name}; the code fingerprint cannot read it.");
}
