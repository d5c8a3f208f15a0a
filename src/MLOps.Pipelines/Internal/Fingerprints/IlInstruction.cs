using System.Reflection.Emit;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>One decoded IL instruction: its opcode and where its operand bytes lie in the method body.</summary>
internal readonly record struct IlInstruction(int Offset, OpCode OpCode, int OperandOffset, int OperandLength);
