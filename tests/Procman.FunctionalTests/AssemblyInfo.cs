// Process tests start real masters, workers and load generators on a small machine: run them one at a
// time so that timing and load figures of one test are not another's noise.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
