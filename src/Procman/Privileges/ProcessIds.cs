using Procman.Native;

namespace Procman.Privileges;

/// <summary>The effective user and group procman itself runs as.</summary>
internal readonly record struct ProcessIds(uint UserId, uint GroupId)
{
    public static ProcessIds Current => new(Libc.GetEffectiveUserId(), Libc.GetEffectiveGroupId());

    public bool IsRoot => UserId == 0;
}
