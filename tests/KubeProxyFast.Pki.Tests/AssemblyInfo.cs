// The files' modes (0600, 0700) are what these tests check: they run where Unix modes exist.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
