namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>The category of a <see cref="VizierException"/>; maps one-to-one onto gRPC status codes.</summary>
public enum VizierErrorCode
{
    /// <summary>A deadline passed before the work was done (a slow external policy).</summary>
    DeadlineExceeded = 4,

    /// <summary>The request is malformed (bad config, bad measurement, value outside the space).</summary>
    InvalidArgument = 3,

    /// <summary>The study or trial does not exist.</summary>
    NotFound = 5,

    /// <summary>The resource exists already (and differs from what was asked).</summary>
    AlreadyExists = 6,

    /// <summary>The caller may not touch this resource.</summary>
    PermissionDenied = 7,

    /// <summary>The resource is not in a state that allows the operation.</summary>
    FailedPrecondition = 9,

    /// <summary>A component failed while serving the request (an external policy raised or answered nonsense).</summary>
    Internal = 13,

    /// <summary>A dependency (storage, external policy) cannot be reached right now.</summary>
    Unavailable = 14,
}
