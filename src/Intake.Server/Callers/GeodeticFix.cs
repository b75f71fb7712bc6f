namespace Intake.Server.Callers;

/// <summary>A WGS 84 position in degrees with its horizontal uncertainty radius in metres (0 for a point).</summary>
public readonly record struct GeodeticFix(double Latitude, double Longitude, double RadiusMeters);
