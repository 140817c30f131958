# gRPC front door image: build with the SDK, run on the small ASP.NET runtime image as a non-root user.
# Build from the repository root: docker build -f deploy/docker/FrontDoor.Dockerfile -t vizier-frontdoor .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/FrontDoor/FrontDoor.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# 50052 gRPC (HTTP/2), 8081 /healthz (overridable with Vizier__Grpc__Port and Vizier__HealthPort).
EXPOSE 50052 8081
ENV ASPNETCORE_URLS= \
    DOTNET_gcServer=1
USER $APP_UID
ENTRYPOINT ["dotnet", "VizierOrleans.FrontDoor.dll"]
