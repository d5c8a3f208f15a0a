#!/usr/bin/env pwsh
# Bootstrapper (Windows/PowerShell twin of build.sh): starts the compiled build program directly, and compiles
# build/ first only when a source it depends on changed by content.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'build-bin'
$Stamp = Join-Path $Temp 'build.stamp'
$Sources = @('build', 'pipelines', 'src', 'data/schemas', 'Directory.Build.props', 'Directory.RunsWhereBuilt.props', 'Directory.Packages.props', 'global.json') |
    ForEach-Object { Join-Path $Root $_ } | Where-Object { Test-Path $_ }
$env:MLOPS_PIPELINES_ROOT = $Root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
if (-not $env:OMP_WAIT_POLICY) { $env:OMP_WAIT_POLICY = 'PASSIVE' }

function Get-SourceItems {
    $Sources | ForEach-Object {
        if (Test-Path $_ -PathType Leaf) { Get-Item $_ }
        else { Get-ChildItem $_ -Recurse -Force | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)([\\/]|$)' } }
    }
}

function Test-Changed {
    if (-not (Test-Path $Stamp)) { return $true }
    $since = (Get-Item $Stamp).LastWriteTimeUtc
    return [bool](Get-SourceItems | Where-Object { $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1)
}

function Get-ContentHash {
    $lines = Get-SourceItems | Where-Object { -not $_.PSIsContainer } | Sort-Object FullName | ForEach-Object {
        "$((Get-FileHash $_.FullName -Algorithm SHA256).Hash)  $([IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/'))"
    }
    # The platform too: the program carries this machine's native libraries only, and CI runners share it by cache.
    $lines = @($lines) + [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $bytes = [Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
    return ([BitConverter]::ToString([Security.Cryptography.SHA256]::HashData($bytes)) -replace '-', '').Substring(0, 20).ToLowerInvariant()
}

function Get-Dotnet {
    $local = Join-Path $Temp 'dotnet-win/dotnet.exe'
    if (Test-Path $local) { return $local }
    $found = Get-Command dotnet -ErrorAction SilentlyContinue
    $wanted = (Get-Content (Join-Path $Root 'global.json') | ConvertFrom-Json).sdk.version
    if ($found -and (& $found.Source --list-sdks | Where-Object { $_.StartsWith($wanted.Split('.')[0] + '.') })) { return $found.Source }
    Write-Host "build.ps1: installing .NET SDK $wanted into .nuke/temp/dotnet-win"
    New-Item -ItemType Directory -Force $Temp | Out-Null
    $installer = Join-Path $Temp 'dotnet-install.ps1'
    Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $installer
    & $installer -InstallDir (Join-Path $Temp 'dotnet-win') -Version $wanted -NoPath
    return $local
}

$hash = if ((Test-Path $Stamp) -and -not (Test-Changed)) { (Get-Content $Stamp -TotalCount 1).Trim() } else { $null }
if (-not $hash -or -not (Test-Path (Join-Path $Bin "$hash/_build.dll"))) {
    New-Item -ItemType Directory -Force $Bin | Out-Null
    # Two concurrent calls: the second waits for the first's compile, then finds the program compiled.
    $lock = $null
    while (-not $lock) {
        try { $lock = [IO.File]::Open((Join-Path $Temp 'build.lock'), 'OpenOrCreate', 'ReadWrite', 'None') }
        catch [IO.IOException] { Start-Sleep -Milliseconds 200 }
    }
    try {
        $next = "$Stamp.next"
        Set-Content $next ''   # taken before hashing, so an edit made during the compile is seen next time
        $hash = Get-ContentHash
        $out = Join-Path $Bin $hash
        if (-not (Test-Path (Join-Path $out '_build.dll'))) {
            $dotnet = Get-Dotnet
            Write-Host 'build.ps1: compiling the build (sources changed)'
            & $dotnet build (Join-Path $Root 'build/_build.csproj') -c Release -o "$out.tmp" -nologo -v quiet '-clp:NoSummary;ErrorsOnly'
            if ($LASTEXITCODE -ne 0) { Remove-Item -Recurse -Force "$out.tmp" -ErrorAction SilentlyContinue; Write-Error 'build.ps1: the build does not compile; fix the errors above.'; exit 2 }
            Move-Item "$out.tmp" $out
        }
        Set-Content $next $hash -NoNewline
        Move-Item $next $Stamp -Force
    }
    finally { $lock.Dispose() }
}
$dotnet = Get-Command dotnet -ErrorAction SilentlyContinue
$runner = if (Test-Path (Join-Path $Temp 'dotnet-win/dotnet.exe')) { Join-Path $Temp 'dotnet-win/dotnet.exe' } else { $dotnet.Source }
& $runner (Join-Path $Bin "$hash/_build.dll") @args
exit $LASTEXITCODE
