namespace Procman.Configuration.Python;

/// <summary>
/// Bounds on what a config file may make the evaluator do, so no file (a typo, or a hostile edit before a
/// SIGHUP) can overflow the stack, exhaust memory or spin: each is reported as a <c>file:line</c> error.
/// Real configs stay far below all of them (the deepest nesting seen in real files is under 10).
/// </summary>
internal static class EvaluationLimits
{
    /// <summary>Open brackets at once; CPython stops at 200.</summary>
    public const int MaxBracketNesting = 100;

    /// <summary>Indented blocks inside each other; CPython stops at 100.</summary>
    public const int MaxIndentation = 100;

    /// <summary>Nested expressions and statements while parsing (chained **, ternaries, unary operators, blocks).</summary>
    public const int MaxSyntaxDepth = 100;

    /// <summary>Nested evaluation of one expression (also bounds long left-leaning chains such as 1+1+...+1).</summary>
    public const int MaxEvaluationDepth = 200;

    /// <summary>Lists, tuples and dicts inside each other in one value (walked by repr, ==, and the settings).</summary>
    public const int MaxValueNesting = 100;

    /// <summary>Calls of functions defined in the file inside each other (recursion).</summary>
    public const int MaxCallDepth = 50;

    /// <summary>Loop iterations, comprehension items and function calls over the whole run.</summary>
    public const int MaxSteps = 1_000_000;

    /// <summary>Characters in one string.</summary>
    public const int MaxStringLength = 1_000_000;

    /// <summary>Items in one list, tuple, set, dict or range that is materialized.</summary>
    public const int MaxSequenceLength = 100_000;

    /// <summary>Characters and items created over the whole run (about 40 MB at most).</summary>
    public const long MaxAllocation = 10_000_000;

    /// <summary>Errors reported for one file before the rest are left out.</summary>
    public const int MaxErrors = 20;
}
