using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

/// <summary>
/// What an app's tracing and metrics (OpenTelemetry, say) would record, with TESTAPP_TELEMETRY=1: the server's
/// traces that are recorded (sampled always on, as an exporter keeps them), the hosting's request durations, and the
/// durations of outgoing HTTP requests; and, always, every request that reaches the app's own middleware.
/// </summary>
internal static class Telemetry
{
    private static long s_requests;
    private static long s_traced;
    private static long s_served;
    private static long s_outgoing;
    private static ActivityListener? s_activities;
    private static MeterListener? s_meters;

    public static void StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable("TESTAPP_TELEMETRY") != "1")
        {
            return;
        }
        s_activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Recorded)
                {
                    Interlocked.Increment(ref s_traced);
                }
            },
        };
        ActivitySource.AddActivityListener(s_activities);
        s_meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if ((instrument.Meter.Name, instrument.Name) is ("Microsoft.AspNetCore.Hosting", "http.server.request.duration")
                    or ("System.Net.Http", "http.client.request.duration"))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        s_meters.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
            Interlocked.Increment(ref instrument.Meter.Name == "System.Net.Http" ? ref s_outgoing : ref s_served));
        s_meters.Start();
    }

    /// <summary>Counts a request that reached the app's middleware.</summary>
    public static void Reached() => Interlocked.Increment(ref s_requests);

    /// <summary>
    /// The counts, the request asking for them left out of the requests (it is in flight: neither its trace nor its
    /// duration is recorded yet).
    /// </summary>
    public static string Report() => string.Create(CultureInfo.InvariantCulture,
        $"requests={Interlocked.Read(ref s_requests) - 1} traced={Interlocked.Read(ref s_traced)} measured={Interlocked.Read(ref s_served)} outgoing={Interlocked.Read(ref s_outgoing)}");
}
