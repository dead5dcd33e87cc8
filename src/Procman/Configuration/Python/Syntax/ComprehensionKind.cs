namespace Procman.Configuration.Python.Syntax;

internal enum ComprehensionKind
{
    List,
    Set,
    Dict,
    Generator,
}
