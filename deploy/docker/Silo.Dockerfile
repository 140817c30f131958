# Silo image: build with the SDK, run on the small ASP.NET runtime image as a non-root user.
# Build from the repository root: docker build -f deploy/docker/Silo.Dockerfile -t vizier-silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# 11111 silo-to-silo, 30000 client gateway, 8080 /healthz and /dashboard, 50051 gRPC (overridable with Vizier__*Port).
EXPOSE 11111 30000 8080 50051
ENV ASPNETCORE_URLS= \
    DOTNET_gcServer=1
USER $APP_UID
ENTRYPOINT ["dotnet", "VizierOrleans.Silo.dll"]
