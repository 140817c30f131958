namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>A request the service refused; nothing was changed.</summary>
[GenerateSerializer, Alias("vizier.VizierException")]
public class VizierException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VizierException(VizierErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>The category of the error.</summary>
    [Id(0)] public VizierErrorCode Code { get; private set; }
}

/// <summary>A study config broke a rule; <see cref="Field"/> names where.</summary>
[GenerateSerializer, Alias("vizier.InvalidStudyConfigException")]
public sealed class InvalidStudyConfigException(string field, string message)
    : VizierException(VizierErrorCode.InvalidArgument, $"Invalid study config: {field}: {message}")
{
    /// <summary>The path of the offending field, for example <c>parameters[1].min</c>.</summary>
    [Id(0)] public string Field { get; private set; } = field;
}

/// <summary>A study or trial does not exist.</summary>
[GenerateSerializer, Alias("vizier.NotFoundException")]
public sealed class NotFoundException(string resource)
    : VizierException(VizierErrorCode.NotFound, $"{resource} does not exist.")
{
    /// <summary>The missing resource's name.</summary>
    [Id(0)] public string Resource { get; private set; } = resource;
}

/// <summary>An operation is not allowed in the current state of the study or trial.</summary>
[GenerateSerializer, Alias("vizier.FailedPreconditionException")]
public sealed class FailedPreconditionException(string message)
    : VizierException(VizierErrorCode.FailedPrecondition, message);

/// <summary>An argument (measurement, parameter value, count) is invalid.</summary>
[GenerateSerializer, Alias("vizier.InvalidArgumentException")]
public sealed class InvalidArgumentException(string message)
    : VizierException(VizierErrorCode.InvalidArgument, message);

/// <summary>A study exists with a different config than the caller asked for.</summary>
[GenerateSerializer, Alias("vizier.StudyConfigMismatchException")]
public sealed class StudyConfigMismatchException(string studyName, string difference)
    : VizierException(VizierErrorCode.AlreadyExists, $"{studyName} exists with a different config: {difference}");

/// <summary>
/// An external policy service failed to decide: it raised, answered with an error status, missed its deadline, could
/// not be reached, or sent a decision the study cannot use. Suggest reports it inside the operation, as OSS Vizier does.
/// </summary>
[GenerateSerializer, Alias("vizier.ExternalPolicyException")]
public sealed class ExternalPolicyException(VizierErrorCode code, string endpoint, string message)
    : VizierException(code, message)
{
    /// <summary>The policy service's <c>host:port</c>.</summary>
    [Id(0)] public string Endpoint { get; private set; } = endpoint;
}
