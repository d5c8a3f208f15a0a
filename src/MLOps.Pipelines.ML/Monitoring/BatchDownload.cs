namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Fetches a batch given as an http(s) URL (the model server's <c>GET /live/{name}/sample.csv</c> or
/// <c>GET /live/{name}/summary</c>) into a local file, refusing bodies over a size limit so a wrong URL cannot fill the disk.
/// </summary>
public static class BatchDownload
{
    public static bool IsUrl(string batch) =>
        Uri.TryCreate(batch, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>, whose extension becomes <c>.json</c> when the
    /// server answers JSON (feature summaries) so that <see cref="BatchMonitor.DetectAsync"/> reads it as such; returns
    /// the path written. Throws naming the URL and the limit on failure.
    /// </summary>
    public static async Task<string> DownloadAsync(Uri url, string destination, long maxBytes, HttpClient? client = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var owned = client is null;
        client ??= new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidDataException($"--batch {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}; is the model server running and the model name right?");
            if (response.Content.Headers.ContentLength > maxBytes)
                throw new InvalidDataException($"--batch {url}: {response.Content.Headers.ContentLength} bytes, over the limit of {maxBytes}; raise --max-batch-bytes or sample less");
            if (response.Content.Headers.ContentType?.MediaType is "application/json") destination = Path.ChangeExtension(destination, ".json");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
            var partial = destination + ".part";
            await using (var body = await response.Content.ReadAsStreamAsync(ct))
            await using (var file = File.Create(partial))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                        throw new InvalidDataException($"--batch {url}: more than {maxBytes} bytes; raise --max-batch-bytes or sample less");
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            File.Move(partial, destination, overwrite: true);
            return destination;
        }
        finally
        {
            if (owned) client.Dispose();
            if (File.Exists(destination + ".part")) File.Delete(destination + ".part");
        }
    }
}
