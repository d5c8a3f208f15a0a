using System.Reflection;
using System.Reflection.Emit;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// Splits a method body's IL bytes into instructions. The opcode table comes from
/// <see cref="OpCodes"/> itself, so no opcode list is kept by hand.
/// </summary>
internal static class IlInstructionReader
{
    private const byte TwoByteOpCodePrefix = 0xFE;

    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

    static IlInstructionReader()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode opCode || opCode.OpCodeType == OpCodeType.Nternal)
                continue;
            var value = (ushort)opCode.Value;
            if (opCode.Size == 1)
                OneByte[value] = opCode;
            else
                TwoByte[value & 0xFF] = opCode;
        }
    }

    public static List<IlInstruction> Read(byte[] il, string methodName)
    {
        var instructions = new List<IlInstruction>(il.Length / 3);
        var position = 0;
        while (position < il.Length)
        {
            var start = position;
            OpCode? opCode;
            if (il[position] == TwoByteOpCodePrefix && position + 1 < il.Length)
            {
                opCode = TwoByte[il[position + 1]];
                position += 2;
            }
            else
            {
                opCode = OneByte[il[position]];
                position += 1;
            }

            if (opCode is not { } op)
                throw new InvalidOperationException(
                    $"Unknown IL opcode 0x{il[start]:X2} at offset {start} in {methodName}; the code fingerprint cannot read this method.");

            var operandLength = OperandLength(op.OperandType, il, position);
            if (position + operandLength > il.Length)
                throw new InvalidOperationException(
                    $"Truncated IL operand at offset {start} in {methodName}; the code fingerprint cannot read this method.");
            instructions.Add(new IlInstruction(start, op, position, operandLength));
            position += operandLength;
        }

        return instructions;
    }

    private static int OperandLength(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch when position + 4 <= il.Length => SwitchLength(BitConverter.ToInt32(il, position), il.Length),
        _ => 4,
    };

    // A corrupt count must not overflow; an impossible length is reported as truncation by the caller.
    private static int SwitchLength(int count, int ilLength) =>
        count < 0 || count > ilLength / 4 ? ilLength + 1 : 4 + (4 * count);
}
