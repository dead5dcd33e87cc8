using Procman.Privileges;
using Procman.Protocol;

namespace Procman.Tests.Privileges;

public sealed class WorkerIdentityTests
{
    private static readonly ProcessIds Root = new(0, 0);
    private static readonly ProcessIds Nobody = new(65534, 65534);
    private static readonly FakeUserDatabase Users = new();

    [Fact]
    public void NothingAsked_KeepsProcmansOwnIds()
    {
        Assert.Null(WorkerIdentity.Resolve(null, null, initGroups: false, Users, Root));
    }

    [Fact]
    public void AUserName_GivesItsUidAndPrimaryGroup_AndNoSupplementaryGroups()
    {
        var identity = WorkerIdentity.Resolve("www-data", null, initGroups: false, Users, Root)!;

        Assert.Equal(new WorkerCredentials(33, 33, []), identity.Credentials);
        Assert.Equal("/var/www", identity.User!.Home);
        Assert.Equal("user www-data (uid 33), group www-data (gid 33), no supplementary groups", identity.Description);
    }

    [Fact]
    public void InitGroups_GivesTheUsersGroupsFromTheGroupDatabase_PrimaryIncluded()
    {
        var identity = WorkerIdentity.Resolve("www-data", null, initGroups: true, Users, Root)!;

        Assert.Equal([4u, 33u, 110u], identity.Credentials.Groups);
    }

    [Fact]
    public void NumericUserAndGroup_AreTakenAsIds_EvenWithoutADatabaseEntry()
    {
        var identity = WorkerIdentity.Resolve("1234", "5678", initGroups: false, Users, Root)!;

        Assert.Equal(new WorkerCredentials(1234, 5678, []), identity.Credentials);
        Assert.Null(identity.User);
    }

    [Fact]
    public void AGroupName_OverridesThePrimaryGroup()
    {
        Assert.Equal(65534u, WorkerIdentity.Resolve("www-data", "nogroup", initGroups: false, Users, Root)!.Credentials.GroupId);
    }

    [Fact]
    public void AGroupAlone_KeepsProcmansUid()
    {
        Assert.Equal(new WorkerCredentials(0, 33, []), WorkerIdentity.Resolve(null, "www-data", initGroups: false, Users, Root)!.Credentials);
    }

    [Fact]
    public void AlreadyThatUserAndGroup_IsNothingToSwitch_WithoutRoot()
    {
        Assert.Null(WorkerIdentity.Resolve("nobody", null, initGroups: false, Users, Nobody));
        Assert.Null(WorkerIdentity.Resolve("65534", "nogroup", initGroups: true, Users, Nobody));
    }

    [Theory]
    [InlineData("no-such-user", null, false, "user 'no-such-user' does not exist; give a user name from the user database (getent passwd) or a numeric uid")]
    [InlineData("www-data", "no-such-group", false, "group 'no-such-group' does not exist; give a group name from the group database (getent group) or a numeric gid")]
    [InlineData(null, null, true, "initgroups needs user: set user (-u) to the user whose groups the workers get, or drop --initgroups")]
    [InlineData(null, "nogroup", true, "initgroups needs user")]
    [InlineData("1234", null, false, "uid 1234 has no entry in the user database, so it has no primary group; set group (-g) too")]
    [InlineData("1234", "5678", true, "initgroups reads the user's groups from the group database, and uid 1234 has no entry")]
    [InlineData("4294967295", "0", false, "user '4294967295' does not exist")]
    public void AnImpossibleRequest_IsAConfigurationError(string? user, string? group, bool initGroups, string expected)
    {
        var error = Assert.Throws<ProcmanException>(() => WorkerIdentity.Resolve(user, group, initGroups, Users, Root));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.StartsWith(expected, error.Message);
    }

    [Theory]
    [InlineData("root", null)]
    [InlineData("nobody", "root")]
    [InlineData(null, "www-data")]
    public void AnotherUserOrGroup_WithoutRoot_IsRefused(string? user, string? group)
    {
        var error = Assert.Throws<ProcmanException>(() => WorkerIdentity.Resolve(user, group, initGroups: false, Users, Nobody));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.Contains("needs procman to start as root, and it runs as uid 65534, gid 65534", error.Message);
    }
}
