# Sample worker image: the kernel-ridge tuning job of samples/Worker, connecting with the Orleans client.
# Build from the repository root: docker build -f deploy/docker/Worker.Dockerfile -t vizier-worker .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY samples/ samples/
RUN dotnet publish samples/Worker/Worker.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENTRYPOINT ["dotnet", "VizierOrleans.Worker.dll"]
