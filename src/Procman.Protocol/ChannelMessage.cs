namespace Procman.Protocol;

/// <summary>
/// One message on a worker's private channel, in either direction. <see cref="ChannelCodec"/> turns it into
/// one line of text and back.
/// </summary>
public abstract record ChannelMessage;
