using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Containers.Oci;

namespace MLOps.Pipelines.Containers.Registry;

/// <summary>
/// A client of the OCI distribution API: pushes an image layout (HEAD each blob, POST then one monolithic PUT for the
/// missing ones, then the manifest under each tag), reads a manifest back by digest and verifies it, and pulls a
/// base image. Blobs the registry has are never sent again, so after a retrain only the model layer travels.
/// </summary>
public sealed class OciRegistryClient : IDisposable
{
    static readonly string[] ManifestTypes = [OciMediaTypes.Manifest, OciMediaTypes.DockerManifest];
    readonly HttpClient _http;

    public OciRegistryClient(HttpClient? http = null)
    {
        _http = http ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(10) };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Pushes the image of <paramref name="layoutDirectory"/> to <paramref name="repository"/> under every tag.</summary>
    public async Task<PushResult> PushAsync(string layoutDirectory, ImageReference repository, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        if (tags.Count == 0) throw new ArgumentException("Push needs at least one tag (e.g. the model version v3).", nameof(tags));
        var clock = Stopwatch.StartNew();
        var blobs = new BlobDirectory(layoutDirectory);
        var index = OciJson.ParseObject(await File.ReadAllBytesAsync(Path.Combine(blobs.Root, "index.json"), cancellationToken), "index.json");
        var manifestDescriptor = (index["manifests"] as JsonArray ?? []).Select(m => OciJson.ToDescriptor(m, "index.json")).Distinct().Single();
        var manifestBytes = blobs.Read(manifestDescriptor.Digest);
        var manifest = OciJson.ParseObject(manifestBytes, "manifest");
        var needed = new List<OciDescriptor> { OciJson.ToDescriptor(manifest["config"], "manifest config") };
        needed.AddRange((manifest["layers"] as JsonArray ?? []).Select(l => OciJson.ToDescriptor(l, "manifest layer")));

        var uploaded = new List<string>();
        int skipped = 0;
        long bytes = 0, skippedBytes = 0;
        foreach (var blob in needed.DistinctBy(b => b.Digest))
        {
            if (await HasBlobAsync(repository, blob.Digest, cancellationToken))
            {
                skipped++;
                skippedBytes += blob.Size;
                continue;
            }
            await UploadFileAsync(repository, blob, blobs.PathOf(blob.Digest), cancellationToken);
            uploaded.Add(blob.Digest);
            bytes += blob.Size;
        }
        foreach (var tag in tags)
            await PutManifestAsync(repository, tag, manifestBytes, manifestDescriptor.MediaType, cancellationToken);
        return new PushResult(manifestDescriptor.Digest, tags, uploaded.Count, bytes, skipped, clock.Elapsed)
        {
            UploadedDigests = uploaded,
            BytesSkipped = skippedBytes,
        };
    }

    /// <summary>Stores <paramref name="manifest"/> under <paramref name="tag"/> and checks the digest the registry confirms; returns the digest.</summary>
    public async Task<string> PutManifestAsync(ImageReference repository, string tag, byte[] manifest, string mediaType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var digest = OciDigest.Of(manifest);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(repository.BaseUri, $"manifests/{ImageReference.Of(repository.Registry, repository.Repository, tag).Tag}"))
        {
            Content = new ByteArrayContent(manifest),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await SendAsync(request, $"PUT manifest {repository.Repository}:{tag}", cancellationToken);
        await EnsureAsync(response, $"PUT manifest {repository.Repository}:{tag}", HttpStatusCode.Created);
        var confirmed = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (confirmed is not null && confirmed != digest)
            throw new RegistryException($"{repository.Registry} stored the manifest of {repository.Repository}:{tag} as {confirmed}, not {digest}.");
        return digest;
    }

    /// <summary>Uploads a blob from memory (a small config, the empty descriptor's <c>{}</c>) unless the registry has it.</summary>
    public async Task UploadBlobAsync(ImageReference repository, OciDescriptor blob, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (await HasBlobAsync(repository, blob.Digest, cancellationToken)) return;
        await UploadAsync(repository, blob, new ByteArrayContent(content), cancellationToken);
    }

    /// <summary>Uploads the file at <paramref name="path"/> as <paramref name="blob"/> unless the registry has it.</summary>
    public async Task UploadBlobAsync(ImageReference repository, OciDescriptor blob, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (await HasBlobAsync(repository, blob.Digest, cancellationToken)) return;
        await UploadFileAsync(repository, blob, path, cancellationToken);
    }

    /// <summary>
    /// Writes the blob with <paramref name="digest"/> to <paramref name="destination"/>, at most <paramref name="maxBytes"/>
    /// bytes; false when the registry does not have it (404). The caller verifies the bytes against the digest.
    /// </summary>
    public async Task<bool> DownloadBlobAsync(ImageReference repository, string digest, Stream destination, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(repository.BaseUri, $"blobs/{digest}"));
        using var response = await SendAsync(request, $"GET blob {digest}", cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureAsync(response, $"GET blob {digest} of {repository.Registry}/{repository.Repository}", HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await CopyBoundedAsync(body, destination, maxBytes, digest, cancellationToken);
        return true;
    }

    public async Task<bool> HasBlobAsync(ImageReference repository, string digest, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(repository.BaseUri, $"blobs/{digest}"));
        using var response = await SendAsync(request, $"HEAD blob {digest}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureAsync(response, $"HEAD blob {digest}", HttpStatusCode.OK);
        return true;
    }

    async Task UploadFileAsync(ImageReference repository, OciDescriptor blob, string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await UploadAsync(repository, blob, new StreamContent(file), cancellationToken);
    }

    async Task UploadAsync(ImageReference repository, OciDescriptor blob, HttpContent content, CancellationToken cancellationToken)
    {
        Uri location;
        using (var start = new HttpRequestMessage(HttpMethod.Post, new Uri(repository.BaseUri, "blobs/uploads/")))
        using (var response = await SendAsync(start, "POST blob upload", cancellationToken))
        {
            await EnsureAsync(response, $"POST blobs/uploads/ for {blob.Digest}", HttpStatusCode.Accepted);
            location = response.Headers.Location ?? throw new RegistryException($"{repository.Registry} answered the upload of {blob.Digest} without a Location header.");
            if (!location.IsAbsoluteUri) location = new Uri(repository.BaseUri, location);
            if (location.Host != repository.BaseUri.Host || location.Port != repository.BaseUri.Port)
                throw new RegistryException($"{repository.Registry} sent the upload of {blob.Digest} to another origin ({location.Authority}); refusing.");
        }
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(location + separator + "digest=" + Uri.EscapeDataString(blob.Digest)))
        {
            Content = content,
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        put.Content.Headers.ContentLength = blob.Size;
        using var done = await SendAsync(put, $"PUT blob {blob.Digest}", cancellationToken);
        await EnsureAsync(done, $"PUT blob {blob.Digest}", HttpStatusCode.Created);
    }

    /// <summary>Fetches a manifest by digest and checks that its bytes have that digest.</summary>
    public async Task<byte[]> GetManifestAsync(ImageReference repository, string reference, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(repository.BaseUri, $"manifests/{reference}"));
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await SendAsync(request, $"GET manifest {reference}", cancellationToken);
        await EnsureAsync(response, $"GET manifest {repository.Repository}@{reference}", HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (OciDigest.IsValid(reference) && OciDigest.Of(bytes) != reference)
            throw new RegistryException($"{repository.Registry} answered manifest {reference} with content {OciDigest.Of(bytes)}; the registry is not to be trusted.");
        return bytes;
    }

    /// <summary>Pulls <paramref name="reference"/> (a loopback registry in practice) into a temporary layout, as a base image.</summary>
    public async Task<SourceImage> PullAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        var temporary = Directory.CreateTempSubdirectory("mlops-base-").FullName;
        try
        {
            var blobs = new BlobDirectory(temporary);
            var manifestBytes = await GetManifestAsync(reference, reference.Tag ?? "latest", cancellationToken);
            var manifest = OciJson.ParseObject(manifestBytes, $"manifest of {reference}");
            var descriptor = blobs.Write(manifest["mediaType"]?.GetValue<string>() ?? OciMediaTypes.Manifest, manifestBytes);
            var wanted = new List<OciDescriptor> { OciJson.ToDescriptor(manifest["config"], $"config of {reference}") };
            wanted.AddRange((manifest["layers"] as JsonArray ?? []).Select(l => OciJson.ToDescriptor(l, $"a layer of {reference}")));
            foreach (var blob in wanted)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(reference.BaseUri, $"blobs/{blob.Digest}"));
                using var response = await SendAsync(request, $"GET blob {blob.Digest}", cancellationToken, HttpCompletionOption.ResponseHeadersRead);
                await EnsureAsync(response, $"GET blob {blob.Digest} of {reference}", HttpStatusCode.OK);
                var path = blobs.PathOf(blob.Digest) + ".download";
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using (var file = File.Create(path))
                await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
                    await CopyBoundedAsync(body, file, blob.Size, blob.Digest, cancellationToken);
                blobs.Import(blob, () => File.OpenRead(path));
                File.Delete(path);
            }
            return OciLayout.FromManifest(blobs, descriptor, reference.ToString(), temporary);
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    static async Task CopyBoundedAsync(Stream body, Stream file, long size, string digest, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > size) throw new RegistryException($"Blob {digest} is longer than its declared {size} bytes; stopped reading.");
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"{what}: {request.RequestUri?.GetLeftPart(UriPartial.Authority)} did not answer ({e.Message}); is the registry running?");
        }
    }

    static async Task EnsureAsync(HttpResponseMessage response, string what, HttpStatusCode expected)
    {
        if (response.StatusCode == expected) return;
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync();
        if (body.Length > 300) body = body[..300];
        throw new RegistryException($"{what}: the registry answered {(int)response.StatusCode} {response.ReasonPhrase} ({body.Trim()}); expected {(int)expected}.");
    }
}
